import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { apiPath } from '../../transport';
import type { BlocksOperation, OnTurnStarted } from '../operation';
import { readSendConcurrency } from '../shared/fields';
import { sendAndMaybeWait, sendFields } from '../shared/send';
import { agentFields, readAgentSelector } from './agent';
import { readSessionGroupId, sessionGroupIdOption } from './sessionGroup';

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

async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	signal: AbortSignal,
	onTurnStarted?: OnTurnStarted,
) {
	const body = readAgentSelector(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (options.is_private !== undefined) body.is_private = options.is_private === true;
	if (typeof options.title === 'string' && options.title.trim()) {
		body.title = options.title.trim().slice(0, MAX_TITLE_CHARS);
	}
	const sessionGroupId = readSessionGroupId(this, options, itemIndex);
	if (sessionGroupId) body.session_group_id = sessionGroupId;

	return await sendAndMaybeWait(this, itemIndex, signal, {
		path: apiPath.sessions(),
		body,
		ifUnanswered:
			'Blocks may have created the session anyway. Check the sessions list in the Blocks dashboard before running this item again, or you may start a second session.',
		idsOf: (session) => ({ sessionId: session.id, threadId: session.thread_id }),
		onTurnStarted,
	});
}

export const create: BlocksOperation = {
	description,
	execute,
	sendConcurrency: readSendConcurrency,
};
