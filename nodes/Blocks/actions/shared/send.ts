import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readMessage, requireUuidList, UUID } from '../../helpers/validation';
import { blocksApiRequest, connectionOf } from '../../transport';
import { apiUrl, parseReplyLink, threadReplyLink, type ReplyLink } from '../../transport/urls';
import { planWait } from '../../wait/plan';
import type { ItemResult, ItemRun, StartedTurn } from '../operation';
import { sentAnswer, sessionAnswer } from '../tool/toolAnswers';
import { artifactIdsOption, messageField, sendConcurrencyOption } from './fields';
import { replyResult } from './reply';
import {
	readWaitRequest,
	waitForReplyToggle,
	waitOptions,
	waitSettingsFields,
} from './wait.fields';

/**
 * What Create Session and Send Message have in common: a message, the Wait for Reply switch
 * with its settings, and options; then one POST that is never repeated after an ambiguous
 * failure, and the wait for the reply when asked.
 */
export function sendFields(
	messageDescription: string,
	moreOptions: INodeProperties[] = [],
): INodeProperties[] {
	const options = [
		artifactIdsOption,
		sendConcurrencyOption,
		...waitOptions(true),
		...moreOptions,
	].sort((a, b) => a.displayName.localeCompare(b.displayName));
	return [
		messageField(messageDescription),
		waitForReplyToggle,
		...waitSettingsFields(true),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options,
		},
	];
}

export interface SendRequest {
	path: string;
	/** Fields beyond the message and the artifact IDs. */
	body?: IDataObject;
	/** What to check before running the item again, should Blocks not answer. */
	ifUnanswered: string;
	/** Where the session and the new thread are in Blocks' answer (used if the link is missing). */
	idsOf: (sent: IDataObject) => { sessionId: unknown; threadId: unknown };
}

/**
 * Reads the message, the artifact IDs and the wait before anything is sent; sends once; then
 * gives Blocks' answer, or, when the user asked to wait, the reply on the new thread.
 */
export async function sendAndMaybeWait(
	context: IExecuteFunctions,
	item: ItemRun,
	request: SendRequest,
): Promise<ItemResult> {
	const { itemIndex, signal } = item;
	const body: IDataObject = { message: readMessage(context, itemIndex), ...request.body };
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const artifactIds = requireUuidList(context, options.artifact_ids, 'Artifact IDs', itemIndex);
	if (artifactIds.length) body.artifact_ids = artifactIds;
	const wait = context.getNodeParameter('waitForReply', itemIndex, false)
		? readWaitRequest(context, itemIndex)
		: undefined;

	const sent = await blocksApiRequest.call(context, {
		method: 'POST',
		path: request.path,
		body,
		retry: 'onlyWhenRejectedUnapplied',
		itemIndex,
		signal,
		ifUnanswered: request.ifUnanswered,
		// An item that waits for its reply keeps riding out 429s for as long as it would wait.
		retryUntil: wait ? planWait(context, wait.settings).deadline : undefined,
	});
	const ids = request.idsOf(sent);
	const link = replyLinkOf(sent, ids);
	item.sent(sent, await turnOf(context, link, ids));

	if (!wait) {
		return { items: [{ json: sent }], toolAnswer: () => sentAnswer(sent) ?? sessionAnswer(sent) };
	}
	if (!link) {
		throw new NodeOperationError(
			context.getNode(),
			`Blocks answered without a reply link to wait on (item ${itemIndex})`,
			{
				itemIndex,
				description:
					'The message was sent. Use the Wait for Reply operation with the session and thread ID once Blocks lists them.',
			},
		);
	}
	return await replyResult(context, link, wait, item, { justSent: true }, sent);
}

/** The turn the send started, as the node's error would name it. */
async function turnOf(
	context: IExecuteFunctions,
	link: ReplyLink | undefined,
	ids: { sessionId: unknown },
): Promise<StartedTurn | undefined> {
	const sessionId = link?.sessionId ?? ids.sessionId;
	if (typeof sessionId !== 'string') return undefined;
	const { baseUrl } = await connectionOf(context);
	return { sessionId, replyUrl: link && apiUrl(baseUrl, link.path, link.query) };
}

/** The HAL link as documented, or the same URL rebuilt from the IDs if the link is missing. */
function replyLinkOf(
	sent: IDataObject,
	ids: { sessionId: unknown; threadId: unknown },
): ReplyLink | undefined {
	const links = sent._links as { final_message?: { href?: unknown } | null } | undefined;
	const href = links?.final_message?.href;
	if (typeof href === 'string') {
		const link = parseReplyLink(href);
		if (link) return link;
	}
	const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
	if (!isUuid(ids.sessionId) || !isUuid(ids.threadId)) return undefined;
	return threadReplyLink(ids.sessionId, ids.threadId);
}
