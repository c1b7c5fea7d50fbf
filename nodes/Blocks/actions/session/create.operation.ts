import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readUuid } from '../../helpers/validation';
import { API_PREFIX } from '../../transport';
import type { BlocksOperation } from '../operation';
import { readSendConcurrency } from '../shared/fields';
import { sendAndMaybeWait, sendFields } from '../shared/send';

const CUSTOM_AGENT = 'custom';

const properties: INodeProperties[] = [
	{
		displayName: 'Agent',
		name: 'agentName',
		type: 'options',
		// The core agents Blocks documents (docs/blocks-api.md §7); others are reached by ID.
		options: [
			{ name: 'Claude Code', value: 'claude' },
			{ name: 'Codex', value: 'codex' },
			{ name: 'Cursor CLI', value: 'cursor' },
			{
				name: 'Custom Agent (by ID)',
				value: 'custom',
				description: 'An agent defined in your workspace, chosen by its ID',
			},
			{ name: 'Gemini CLI', value: 'gemini' },
			{ name: 'Kimi', value: 'kimi' },
			{ name: 'OpenCode', value: 'opencode' },
		],
		default: 'claude',
		description:
			'The coding agent that works on the session. It must be set up with a provider key in the Blocks dashboard.',
	},
	{
		displayName: 'Agent ID',
		name: 'agentId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'a196cec6-49cb-4c48-8e4c-2707fb5d6709',
		description: 'The ID of a custom agent in your Blocks workspace',
		displayOptions: { show: { agentName: [CUSTOM_AGENT] } },
	},
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
	]),
];

const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['create'] } },
	properties,
);

const MAX_TITLE_CHARS = 200;

async function execute(this: IExecuteFunctions, itemIndex: number, signal: AbortSignal) {
	// Exactly one agent selector: two at once is undocumented behaviour (docs/blocks-api.md §14.16).
	const agentName = this.getNodeParameter('agentName', itemIndex) as string;
	const body: IDataObject =
		agentName === CUSTOM_AGENT
			? { agent_id: readUuid(this, 'agentId', 'Agent ID', itemIndex) }
			: { agent_name: agentName };
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (options.is_private !== undefined) body.is_private = options.is_private === true;
	if (typeof options.title === 'string' && options.title.trim()) {
		body.title = options.title.trim().slice(0, MAX_TITLE_CHARS);
	}

	return await sendAndMaybeWait(this, itemIndex, signal, {
		path: `${API_PREFIX}/sessions`,
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
