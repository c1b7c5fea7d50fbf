import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { requireUuid } from '../../helpers/validation';
import { apiPath } from '../../transport';
import type { BlocksOperation, ItemRun } from '../operation';
import { readSendConcurrency } from '../shared/fields';
import { sendAndMaybeWait, sendFields } from '../shared/send';
import { agentFields, readAgentSelector } from './agent';

/**
 * `session_group_id` on create is not in Blocks' public docs: Blocks' own GitHub Action sends it
 * to file a session under an existing group, and live answers carry it (docs/blocks-api.md §3.1,
 * §14.15). Sent only when the user sets it; how Blocks treats an unknown group is not known.
 */
const sessionGroupIdOption: INodeProperties = {
	displayName: 'Session Group ID',
	name: 'session_group_id',
	type: 'string',
	default: '',
	placeholder: '5b1f0c7e-2a4d-4e8b-9c3f-7d6a1e2b4c5d',
	description:
		'File the session under an existing session group of the workspace (a UUID). Not in the public API docs; Blocks’ own tooling sends it.',
};

const properties: INodeProperties[] = [
	...agentFields,
	...sendFields('The first message of the session: what the agent should do', [
		{
			displayName: 'Private',
			name: 'is_private',
			type: 'boolean',
			default: false,
			description:
				'Whether to hide the session from other members of the workspace. Workspace admins can force every session private.',
		},
		{
			displayName: 'Title',
			name: 'title',
			type: 'string',
			default: '',
			description:
				'A title for the session (at most 200 characters). Blocks otherwise generates one. Not in the public API docs.',
		},
		sessionGroupIdOption,
	]),
];

const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['create'] } },
	properties,
);

const MAX_TITLE_CHARS = 200;

async function execute(this: IExecuteFunctions, item: ItemRun) {
	const { itemIndex } = item;
	const body = readAgentSelector(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (options.is_private !== undefined) body.is_private = options.is_private === true;
	if (typeof options.title === 'string' && options.title.trim()) {
		body.title = options.title.trim().slice(0, MAX_TITLE_CHARS);
	}
	const sessionGroupId = options.session_group_id;
	if (sessionGroupId !== undefined && sessionGroupId !== null && sessionGroupId !== '') {
		body.session_group_id = requireUuid(this, sessionGroupId, 'Session Group ID', itemIndex);
	}

	return await sendAndMaybeWait(this, item, {
		path: apiPath.sessions(),
		body,
		ifUnanswered:
			'Blocks may have created the session anyway. Check the sessions list in the Blocks dashboard before running this item again, or you may start a second session.',
		idsOf: (session) => ({ sessionId: session.id, threadId: session.thread_id }),
	});
}

export const create: BlocksOperation = {
	description,
	execute,
	sendConcurrency: readSendConcurrency,
};
