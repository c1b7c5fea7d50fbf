import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readMessage, readUuid, requireUuidList } from '../../helpers/validation';
import { API_PREFIX, blocksApiRequest } from '../../transport';
import type { BlocksOperation } from '../operation';
import {
	artifactIdsOption,
	messageField,
	readSendConcurrency,
	sendConcurrencyOption,
	sessionIdField,
} from '../shared/fields';
import { readWaitRequest, replyAfterSend } from '../shared/replyAfterSend';
import { waitForReplyToggle, waitSettingsFields } from '../shared/wait.fields';

const properties: INodeProperties[] = [
	{
		displayName:
			'A follow-up interrupts the agent if it is still working on the previous message, and starts a new turn with this one',
		name: 'interruptNotice',
		type: 'notice',
		default: '',
	},
	sessionIdField,
	messageField('The follow-up message for the agent'),
	waitForReplyToggle,
	...waitSettingsFields(true),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [artifactIdsOption, sendConcurrencyOption],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['sendMessage'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number, signal: AbortSignal) {
	const sessionId = readUuid(this, 'sessionId', 'Session ID', itemIndex);
	const body: IDataObject = { message: readMessage(this, itemIndex) };
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const artifactIds = requireUuidList(this, options.artifact_ids, 'Artifact IDs', itemIndex);
	if (artifactIds.length) body.artifact_ids = artifactIds;

	const waitSettings = readWaitRequest(this, itemIndex);
	const sent: IDataObject = await blocksApiRequest.call(this, {
		method: 'POST',
		path: `${API_PREFIX}/sessions/${sessionId}/messages`,
		body,
		retry: 'onlyWhenRejectedUnapplied',
		itemIndex,
		signal,
		ifUnanswered: `Blocks may have delivered the follow-up to session ${sessionId}. Check its messages (Message > Get Many) before running this item again: a second follow-up would interrupt the agent again.`,
	});
	return replyAfterSend(
		this,
		sent,
		{ sessionId: sent.chat_id ?? sessionId, threadId: sent.chat_thread_id },
		waitSettings,
		itemIndex,
		signal,
	);
}

export const sendMessage: BlocksOperation = { description, execute, sendConcurrency: readSendConcurrency };
