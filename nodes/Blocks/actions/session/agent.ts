import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidField, readUuid } from '../../helpers/validation';

/** The Agent choices that are not a documented agent name. */
const CUSTOM_AGENT = 'custom';
const OTHER_AGENT = 'other';

/**
 * For agents Blocks adds after this release: the name is sent as `agent_name` as typed. Blocks
 * answers 400 for a name it does not know (docs/blocks-api.md §3.1, §7), so only the shape is
 * checked here, to catch a pasted sentence or an empty expression before anything is created.
 */
const otherAgentNameField: INodeProperties = {
	displayName: 'Agent Name',
	name: 'otherAgentName',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'sisyphus',
	description:
		'The agent_name of a built-in agent this list does not have yet, as Blocks spells it. Blocks rejects names it does not know.',
	displayOptions: { show: { agentName: [OTHER_AGENT] } },
};

/** Create Session's agent selector: the Agent list and the field its choice needs, if any. */
export const agentFields: INodeProperties[] = [
	{
		displayName: 'Agent',
		name: 'agentName',
		type: 'options',
		// The core agents Blocks documents (docs/blocks-api.md §7); custom ones are reached by ID,
		// built-in ones added later by name.
		options: [
			{ name: 'Claude Code', value: 'claude' },
			{ name: 'Codex', value: 'codex' },
			{ name: 'Cursor CLI', value: 'cursor' },
			{
				name: 'Custom Agent (by ID)',
				value: CUSTOM_AGENT,
				description: 'An agent defined in your workspace, chosen by its ID',
			},
			{ name: 'Gemini CLI', value: 'gemini' },
			{ name: 'Kimi', value: 'kimi' },
			{ name: 'OpenCode', value: 'opencode' },
			{
				name: 'Other (by Name)',
				value: OTHER_AGENT,
				description: 'A built-in agent Blocks added after this list, by its agent_name',
			},
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
	otherAgentNameField,
];

/** Agent names are single lower-case words in Blocks (§7); a little wider, to let new ones in. */
const AGENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function readOtherAgentName(context: IExecuteFunctions, itemIndex: number): string {
	const value = context.getNodeParameter('otherAgentName', itemIndex, '');
	const label = 'Agent Name';
	if (typeof value !== 'string' || !value.trim()) {
		throw invalidField(
			context,
			label,
			itemIndex,
			'is empty',
			'Type the name of the agent as Blocks spells it (for example "sisyphus"), or choose one from the Agent list.',
		);
	}
	const name = value.trim();
	if (!AGENT_NAME.test(name)) {
		throw invalidField(
			context,
			label,
			itemIndex,
			`must be one word of letters, digits, ".", "_" or "-" (at most 64), got "${name.slice(0, 60)}"`,
			'Blocks names its agents with one lower-case word, such as "claude" or "codex".',
		);
	}
	return name;
}

/**
 * The one agent selector a create sends: two at once is undocumented behaviour
 * (docs/blocks-api.md §14.16).
 */
export function readAgentSelector(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const agentName = context.getNodeParameter('agentName', itemIndex) as string;
	if (agentName === CUSTOM_AGENT) {
		return { agent_id: readUuid(context, 'agentId', 'Agent ID', itemIndex) };
	}
	if (agentName === OTHER_AGENT) return { agent_name: readOtherAgentName(context, itemIndex) };
	return { agent_name: agentName };
}
