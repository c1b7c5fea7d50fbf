import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_STREAM_PROGRESS,
	STREAM_PROGRESS_CHOICES,
	type StreamProgress,
} from '../../wait/settings';

/** How each choice reads in the editor; a Record, so a new choice cannot be left without one. */
const CHOICE_LABELS: Record<StreamProgress, { name: string; description: string }> = {
	messages: {
		name: 'Agent Messages',
		description: "The agent's messages as they appear, then its reply",
	},
	messagesAndToolCalls: {
		name: 'Agent Messages and Tool Calls',
		description: 'Also a one-line note for each tool the agent calls',
	},
	off: { name: 'Off', description: 'Stream nothing; the reply is only in the output item' },
};

/** The "Stream Progress" option of every wait (docs/streaming.md). */
export const streamProgressOption: INodeProperties = {
	displayName: 'Stream Progress',
	name: 'streamProgress',
	type: 'options',
	options: STREAM_PROGRESS_CHOICES.map((value) => ({
		name: CHOICE_LABELS[value].name,
		value,
		description: CHOICE_LABELS[value].description,
	})),
	default: DEFAULT_STREAM_PROGRESS,
	description:
		'What a wait sends while the workflow streams its response (a Webhook set to Respond: Streaming, or a Chat Trigger with streaming): the agent’s new messages on the awaited turn as they appear, then its reply. Has no effect when the response is not streamed.',
};

export function readStreamProgress(context: IExecuteFunctions, itemIndex: number): StreamProgress {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const value = options.streamProgress as StreamProgress | undefined;
	return value !== undefined && STREAM_PROGRESS_CHOICES.includes(value)
		? value
		: DEFAULT_STREAM_PROGRESS;
}
