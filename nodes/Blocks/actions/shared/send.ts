import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readMessage, requireUuidList, UUID } from '../../helpers/validation';
import { blocksApiRequest, connectionOf } from '../../transport';
import { apiUrl, parseReplyLink, threadReplyLink, type ReplyLink } from '../../transport/urls';
import { planWait } from '../../wait/plan';
import type { WaitSettings } from '../../wait/settings';
import { PendingReply, type OnTurnStarted, type OperationResult } from '../operation';
import { artifactIdsOption, messageField, sendConcurrencyOption } from './fields';
import { replyItem, type ReplyRequest } from './reply';
import { readReplyExtras } from './replyExtras.fields';
import { readWaitSettings, waitForReplyToggle, waitSettingsFields } from './wait.fields';
import { waitOptions } from './waitOptions.fields';

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
	/** Told the session and reply link once Blocks has answered the send. */
	onTurnStarted?: OnTurnStarted;
}

/** Reads the message and artifact IDs (and the wait settings) before anything is sent. */
export async function sendAndMaybeWait(
	context: IExecuteFunctions,
	itemIndex: number,
	signal: AbortSignal,
	request: SendRequest,
): Promise<OperationResult | PendingReply> {
	const body: IDataObject = { message: readMessage(context, itemIndex), ...request.body };
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const artifactIds = requireUuidList(context, options.artifact_ids, 'Artifact IDs', itemIndex);
	if (artifactIds.length) body.artifact_ids = artifactIds;
	const waitSettings = readWaitRequest(context, itemIndex);
	const extras = readReplyExtras(context, itemIndex);

	const sent = await blocksApiRequest.call(context, {
		method: 'POST',
		path: request.path,
		body,
		retry: 'onlyWhenRejectedUnapplied',
		itemIndex,
		signal,
		ifUnanswered: request.ifUnanswered,
		// An item that waits for its reply keeps riding out 429s for as long as it would wait.
		retryUntil: waitSettings ? planWait(context, waitSettings).deadline : undefined,
	});
	const ids = request.idsOf(sent);
	await tellTurnStarted(context, sent, ids, request.onTurnStarted);
	const wait = waitSettings && { settings: waitSettings, extras };
	return replyAfterSend(context, sent, ids, wait, itemIndex, signal);
}

async function tellTurnStarted(
	context: IExecuteFunctions,
	sent: IDataObject,
	ids: { sessionId: unknown; threadId: unknown },
	onTurnStarted: OnTurnStarted | undefined,
): Promise<void> {
	if (!onTurnStarted) return;
	const link = replyLinkOf(sent, ids);
	const sessionId = link?.sessionId ?? ids.sessionId;
	if (typeof sessionId !== 'string') return;
	const { baseUrl } = await connectionOf(context);
	onTurnStarted({ sessionId, replyUrl: link && apiUrl(baseUrl, link.path, link.query) });
}

/** Read before sending, so a bad wait setting fails the item before anything is created. */
function readWaitRequest(context: IExecuteFunctions, itemIndex: number): WaitSettings | undefined {
	const wanted = context.getNodeParameter('waitForReply', itemIndex, false) as boolean;
	return wanted ? readWaitSettings(context, itemIndex) : undefined;
}

/**
 * After a create or a follow-up: the API's answer, or, when the user asked to wait, the wait
 * for the reply on the new thread.
 */
function replyAfterSend(
	context: IExecuteFunctions,
	sent: IDataObject,
	ids: { sessionId: unknown; threadId: unknown },
	wait: ReplyRequest | undefined,
	itemIndex: number,
	signal: AbortSignal,
): OperationResult | PendingReply {
	if (!wait) return sent;
	const link = replyLinkOf(sent, ids);
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
	return new PendingReply(
		() => replyItem(context, link, wait, itemIndex, signal, { justSent: true }),
		sent,
	);
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
