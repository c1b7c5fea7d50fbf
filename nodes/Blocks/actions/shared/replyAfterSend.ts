import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { UUID } from '../../helpers/validation';
import { parseReplyLink, threadReplyLink, type ReplyLink } from '../../transport/urls';
import { waitForReply, type WaitSettings } from '../../wait/waitForReply';
import { PendingReply, type ItemResult } from '../operation';
import { readWaitSettings } from './wait.fields';

/** Read before sending, so a bad wait setting fails the item before anything is created. */
export function readWaitRequest(context: IExecuteFunctions, itemIndex: number): WaitSettings | undefined {
	const wanted = context.getNodeParameter('waitForReply', itemIndex, false) as boolean;
	return wanted ? readWaitSettings(context, itemIndex) : undefined;
}

/**
 * After a create or a follow-up: the API's answer, or, when the user asked to wait, the wait
 * for the reply on the new thread.
 */
export function replyAfterSend(
	context: IExecuteFunctions,
	sent: IDataObject,
	ids: { sessionId: unknown; threadId: unknown },
	settings: WaitSettings | undefined,
	itemIndex: number,
	signal: AbortSignal,
): ItemResult | PendingReply {
	if (!settings) return sent;
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
		async () => await waitForReply.call(context, link, settings, itemIndex, signal, { justSent: true }),
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
