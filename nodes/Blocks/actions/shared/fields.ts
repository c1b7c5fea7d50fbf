import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { MESSAGE_TYPES, type MessageType } from '../../helpers/messages';

/** Fields several operations show, defined once so they read and behave the same everywhere. */

export const sessionIdField: INodeProperties = {
	displayName: 'Session ID',
	name: 'sessionId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'a196cec6-49cb-4c48-8e4c-2707fb5d6709',
	description: 'The session to act on: the ID that Create Session outputs',
};

export function messageField(description: string): INodeProperties {
	return {
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description,
	};
}

export const artifactIdsOption: INodeProperties = {
	displayName: 'Artifact IDs',
	name: 'artifact_ids',
	type: 'string',
	default: '',
	placeholder: 'a196cec6-…, 71562cd0-…',
	description:
		'IDs of artifacts that already exist in the workspace, comma-separated, to attach to the message',
};

/** Most sends the router starts at once: enough to overlap slow answers, few enough to be kind. */
const MAX_SEND_CONCURRENCY = 10;

/**
 * One setting for the whole run, though it sits with the per-item options (saved workflows keep
 * it there): the router reads it from the first item and starts that many sends at a time.
 */
export const sendConcurrencyOption: INodeProperties = {
	displayName: 'Send Concurrency',
	name: 'sendConcurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_SEND_CONCURRENCY },
	default: 1,
	description: `How many items to send at the same time, 1 to ${MAX_SEND_CONCURRENCY}, for the whole run: it is read from the first item only (an expression giving other items other values has no effect). Sends start in item order and every request still counts against the key’s rate limit; replies are awaited side by side either way.`,
};

export function readSendConcurrency(this: IExecuteFunctions): number {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const value = Number(options.sendConcurrency ?? 1);
	return Number.isFinite(value)
		? Math.min(MAX_SEND_CONCURRENCY, Math.max(1, Math.floor(value)))
		: 1;
}

const MESSAGE_TYPE_LABELS: Record<MessageType, Omit<INodePropertyOptions, 'value'>> = {
	final_message: { name: 'Final Message', description: "The agent's finished reply of a turn" },
	message: { name: 'Message', description: 'Messages of the conversation' },
	tool_call: { name: 'Tool Call', description: 'The tools the agent called (not their results)' },
};

/** The kinds of message items a listing can ask for (helpers/messages.ts). */
export const MESSAGE_TYPE_OPTIONS: INodePropertyOptions[] = MESSAGE_TYPES.map((value) => ({
	...MESSAGE_TYPE_LABELS[value],
	value,
}));

/** Whose messages a listing asks for; "any" sends both roles (§14.12). */
export const MESSAGE_ROLE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Agent', value: 'assistant' },
	{ name: 'Agent and User', value: 'any' },
	{ name: 'User', value: 'user' },
];
