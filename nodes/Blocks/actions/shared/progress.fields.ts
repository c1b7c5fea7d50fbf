import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { StreamProgress } from '../../wait/progress';

const CHOICES: StreamProgress[] = ['messages', 'messagesAndToolCalls', 'off'];

/** The "Stream Progress" option of every wait (README, "Streamed progress"). */
export const streamProgressOption: INodeProperties = {
	displayName: 'Stream Progress',
	name: 'streamProgress',
	type: 'options',
	options: [
		{
			name: 'Agent Messages',
			value: 'messages',
			description: "The agent's messages as they appear, then its reply",
		},
		{
			name: 'Agent Messages and Tool Calls',
			value: 'messagesAndToolCalls',
			description: 'Also a one-line note for each tool the agent calls',
		},
		{
			name: 'Off',
			value: 'off',
			description: 'Stream nothing; the reply is only in the output item',
		},
	],
	default: 'messages',
	description:
		'What a wait sends while the workflow streams its response (a Webhook set to Respond: Streaming, or a Chat Trigger with streaming): the agent’s new messages on the awaited turn as they appear, then its reply. Has no effect when the response is not streamed.',
};

export function readStreamProgress(context: IExecuteFunctions, itemIndex: number): StreamProgress {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const value = options.streamProgress as StreamProgress | undefined;
	return value !== undefined && CHOICES.includes(value) ? value : 'messages';
}
