import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { invalidField, readUuid } from '../../helpers/validation';
import { parseReplyLink, threadReplyLink, type ReplyLink } from '../../transport/urls';
import { waitForReply } from '../../wait/waitForReply';
import { PendingReply, type BlocksOperation } from '../operation';
import { sessionIdField } from '../shared/fields';
import { readWaitSettings, waitSettingsFields } from '../shared/wait.fields';

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
		default: '={{ $json._links.final_message.href }}',
		required: true,
		description:
			'The link to poll for the reply. The default reads it from the previous node when that is Create Session or Send Message. Only its path is used: requests go to the credential’s Base URL.',
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
	...waitSettingsFields(false),
];

export const description = updateDisplayOptions(
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

export async function execute(this: IExecuteFunctions, itemIndex: number, signal: AbortSignal) {
	const link = readReplyLink(this, itemIndex);
	const settings = readWaitSettings(this, itemIndex);
	return new PendingReply(
		async () => await waitForReply.call(this, link, settings, itemIndex, signal),
	);
}

export const waitForReplyOperation: BlocksOperation = { description, execute };
