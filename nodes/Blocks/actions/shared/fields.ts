import type { INodeProperties } from 'n8n-workflow';

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
