import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readUuid } from '../../helpers/validation';
import { apiPath } from '../../transport';
import type { BlocksOperation, ItemRun } from '../operation';
import { readSendConcurrency, sessionIdField } from '../shared/fields';
import { sendAndMaybeWait, sendFields } from '../shared/send';

const properties: INodeProperties[] = [
	{
		displayName:
			'A follow-up interrupts the agent if it is still working on the previous message, and starts a new turn with this one',
		name: 'interruptNotice',
		type: 'notice',
		default: '',
	},
	sessionIdField,
	...sendFields('The follow-up message for the agent'),
];

const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['sendMessage'] } },
	properties,
);

async function execute(this: IExecuteFunctions, item: ItemRun) {
	const sessionId = readUuid(this, 'sessionId', 'Session ID', item.itemIndex);
	return await sendAndMaybeWait(this, item, {
		path: apiPath.sessionMessages(sessionId),
		ifUnanswered: `Blocks may have delivered the follow-up to session ${sessionId}. Check its messages (Message > Get Many) before running this item again: a second follow-up would interrupt the agent again.`,
		idsOf: (sent) => ({ sessionId: sent.chat_id ?? sessionId, threadId: sent.chat_thread_id }),
	});
}

export const sendMessage: BlocksOperation = {
	description,
	execute,
	sendConcurrency: readSendConcurrency,
};
