import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readMessage, requireUuidList } from '../../helpers/validation';
import { blocksApiRequest } from '../../transport';
import { clock } from '../../transport/clock';
import type { ItemResult, PendingReply } from '../operation';
import { artifactIdsOption, messageField, sendConcurrencyOption } from './fields';
import { readWaitRequest, replyAfterSend } from './replyAfterSend';
import { waitForReplyToggle, waitSettingsFields } from './wait.fields';

/**
 * What Create Session and Send Message have in common: a message, the Wait for Reply switch
 * with its settings, and options; then one POST that is never repeated after an ambiguous
 * failure, and the wait for the reply when asked.
 */
export function sendFields(messageDescription: string, moreOptions: INodeProperties[] = []): INodeProperties[] {
	const options = [artifactIdsOption, sendConcurrencyOption, ...moreOptions].sort((a, b) =>
		a.displayName.localeCompare(b.displayName),
	);
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

/** Reads the message and artifact IDs (and the wait settings) before anything is sent. */
export async function sendAndMaybeWait(
	context: IExecuteFunctions,
	itemIndex: number,
	signal: AbortSignal,
	request: SendRequest,
): Promise<ItemResult | PendingReply> {
	const body: IDataObject = { message: readMessage(context, itemIndex), ...request.body };
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const artifactIds = requireUuidList(context, options.artifact_ids, 'Artifact IDs', itemIndex);
	if (artifactIds.length) body.artifact_ids = artifactIds;
	const waitSettings = readWaitRequest(context, itemIndex);

	const sent = await blocksApiRequest.call(context, {
		method: 'POST',
		path: request.path,
		body,
		retry: 'onlyWhenRejectedUnapplied',
		itemIndex,
		signal,
		ifUnanswered: request.ifUnanswered,
		// An item that waits for its reply keeps riding out 429s for as long as it would wait.
		retryUntil: waitSettings ? clock().now() + waitSettings.maxWaitMs : undefined,
	});
	return replyAfterSend(context, sent, request.idsOf(sent), waitSettings, itemIndex, signal);
}
