import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { invalidField, readUuid } from '../../helpers/validation';
import { parseReplyLink, threadReplyLink, type ReplyLink } from '../../transport/urls';
import { FIRST_ROUND, type WaitHistory } from '../../wait/plan';
import type { BlocksOperation, ItemResult, ItemRun } from '../operation';
import { sessionIdField } from '../shared/fields';
import { replyResult } from '../shared/reply';
import {
	checkOnceField,
	readWaitRequest,
	waitOptionsCollection,
	waitSettingsFields,
} from '../shared/wait.fields';

const properties: INodeProperties[] = [
	{
		displayName: 'Wait On',
		name: 'replySource',
		type: 'options',
		options: [
			{
				name: 'Reply URL',
				value: 'replyUrl',
				description: 'The final_message link of a Create Session or Send Message result',
			},
			{
				name: 'Session and Thread ID',
				value: 'thread',
				description: 'The session ID and the thread ID of the turn',
			},
		],
		default: 'replyUrl',
	},
	{
		displayName: 'Reply URL',
		name: 'replyUrl',
		type: 'string',
		default: '={{ $json._links?.final_message?.href ?? $json.reply_url }}',
		required: true,
		description:
			'The link to poll for the reply. The default reads it from the previous node: the reply link of Create Session or Send Message, or the "reply_url" of a Still Working or timed-out item from an earlier wait. Only its path is used: requests go to the credential’s Base URL.',
		displayOptions: { show: { replySource: ['replyUrl'] } },
	},
	{ ...sessionIdField, displayOptions: { show: { replySource: ['thread'] } } },
	{
		displayName: 'Thread ID',
		name: 'threadId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '71562cd0-1f63-41b2-8382-10f2fdb1ac8b',
		description:
			'The thread of the turn: "thread_id" of a created session, or "chat_thread_id" of a sent message',
		displayOptions: { show: { replySource: ['thread'] } },
	},
	checkOnceField,
	...waitSettingsFields(false),
	waitOptionsCollection,
];

const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['waitForReply'] } },
	properties,
);

function readReplyLink(context: IExecuteFunctions, itemIndex: number): ReplyLink {
	if (context.getNodeParameter('replySource', itemIndex, 'replyUrl') === 'thread') {
		const sessionId = readUuid(context, 'sessionId', 'Session ID', itemIndex);
		const threadId = readUuid(context, 'threadId', 'Thread ID', itemIndex);
		return threadReplyLink(sessionId, threadId);
	}
	const value = context.getNodeParameter('replyUrl', itemIndex, '');
	if (typeof value !== 'string' || !value.trim()) {
		throw invalidField(
			context,
			'Reply URL',
			itemIndex,
			'is empty',
			'Put this node right after Create Session or Send Message, or choose "Session and Thread ID" under "Wait On".',
		);
	}
	const link = parseReplyLink(value.trim());
	if (!link) {
		throw invalidField(
			context,
			'Reply URL',
			itemIndex,
			`is not a Blocks thread messages link: "${value.trim().slice(0, 80)}"`,
			'Expected …/rest/v1/sessions/<session ID>/threads/<thread ID>/messages?type=final_message&role=assistant',
		);
	}
	return link;
}

/**
 * What earlier rounds waited on this turn: an input item that is a timed-out wait item of the
 * same thread (a Still Working item looped back, directly or through n8n's Wait node) carries
 * its rounds, total and when the first round began; any other item starts the count.
 */
function readHistory(context: IExecuteFunctions, itemIndex: number, link: ReplyLink): WaitHistory {
	const json = context.getInputData()[itemIndex]?.json ?? {};
	const { rounds, waited_ms_total: total, waiting_since: since } = json;
	const isEarlierRound =
		json.status === 'timed_out' &&
		typeof json.thread_id === 'string' &&
		json.thread_id.toLowerCase() === link.threadId &&
		typeof rounds === 'number' &&
		Number.isInteger(rounds) &&
		rounds >= 0 &&
		typeof total === 'number' &&
		Number.isFinite(total) &&
		total >= 0;
	if (!isEarlierRound) return FIRST_ROUND;
	const waitingSince = typeof since === 'string' ? Date.parse(since) : NaN;
	return Number.isFinite(waitingSince)
		? { rounds, waitedMsTotal: total, waitingSince }
		: { rounds, waitedMsTotal: total };
}

async function execute(this: IExecuteFunctions, item: ItemRun): Promise<ItemResult> {
	const link = readReplyLink(this, item.itemIndex);
	const wait = readWaitRequest(this, item.itemIndex);
	const history = readHistory(this, item.itemIndex, link);
	return await replyResult(this, link, wait, item, { history });
}

export const waitForReplyOperation: BlocksOperation = { description, execute };
