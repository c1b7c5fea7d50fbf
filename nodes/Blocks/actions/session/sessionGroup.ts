import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requireUuid } from '../../helpers/validation';

/**
 * `session_group_id` on create is not in Blocks' public docs: Blocks' own GitHub Action sends it
 * to file a session under an existing group, and live answers carry it (docs/blocks-api.md §3.1,
 * §14.15). Sent only when the user sets it; how Blocks treats an unknown group is not known.
 */
export const sessionGroupIdOption: INodeProperties = {
	displayName: 'Session Group ID',
	name: 'session_group_id',
	type: 'string',
	default: '',
	placeholder: '5b1f0c7e-2a4d-4e8b-9c3f-7d6a1e2b4c5d',
	description:
		'File the session under an existing session group of the workspace (a UUID). Not in the public API docs; Blocks’ own tooling sends it.',
};

export function readSessionGroupId(
	context: IExecuteFunctions,
	options: IDataObject,
	itemIndex: number,
): string | undefined {
	const value = options.session_group_id;
	if (value === undefined || value === null || value === '') return undefined;
	return requireUuid(context, value, 'Session Group ID', itemIndex);
}
