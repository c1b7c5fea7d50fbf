import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { invalidField, readUuid, requireNumberInRange } from '../../helpers/validation';
import { apiPath } from '../../transport';
import { byTime, MESSAGE_TYPES, rolesOfChoice } from '../../helpers/messages';
import { readMessagePages } from '../../transport/messagePages';
import type { Query } from '../../transport/urls';
import type { BlocksOperation, ItemResult, ItemRun } from '../operation';
import { MESSAGE_ROLE_OPTIONS, MESSAGE_TYPE_OPTIONS, sessionIdField } from '../shared/fields';
import { messagesAnswer } from '../tool/toolAnswers';

const properties: INodeProperties[] = [
	sessionIdField,
	{
		displayName: 'Thread ID',
		name: 'threadId',
		type: 'string',
		default: '',
		placeholder: '71562cd0-1f63-41b2-8382-10f2fdb1ac8b',
		description: 'Only the messages of this turn. Leave empty for the whole session.',
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Role',
				name: 'role',
				type: 'options',
				options: MESSAGE_ROLE_OPTIONS,
				default: 'assistant',
				description:
					'Whose messages to list. Blocks lists only the agent’s unless asked. "Agent and User" needs a current Blocks deployment.',
			},
			{
				displayName: 'Since (Cursor)',
				name: 'since',
				type: 'number',
				default: 0,
				description:
					'Only messages newer than this "ts" (epoch seconds): pass the newest "ts" you have seen to get only new messages',
			},
			{
				displayName: 'Type',
				name: 'type',
				type: 'multiOptions',
				options: MESSAGE_TYPE_OPTIONS,
				default: [],
				description:
					'Kinds of messages to list. Blocks lists messages and final messages unless asked.',
			},
		],
	},
];

const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['getAll'] } },
	properties,
);

function readQuery(context: IExecuteFunctions, itemIndex: number): Query {
	const filters = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const query: Query = { direction: 'asc' };
	if (filters.type !== undefined) {
		const types = Array.isArray(filters.type) ? filters.type : [filters.type];
		const known: readonly unknown[] = MESSAGE_TYPES;
		const unknown = types.find((type) => !known.includes(type));
		if (unknown !== undefined) {
			throw invalidField(
				context,
				'Type',
				itemIndex,
				`must be one of ${known.join(', ')}, got "${String(unknown)}"`,
			);
		}
		if (types.length) query.type = types as string[];
	}
	if (filters.role !== undefined) {
		const roles = rolesOfChoice(filters.role);
		if (!roles) {
			throw invalidField(
				context,
				'Role',
				itemIndex,
				`must be assistant, user or any, got "${String(filters.role)}"`,
			);
		}
		query.role = roles.length === 1 ? roles[0] : roles;
	}
	if (filters.since !== undefined && filters.since !== 0 && filters.since !== '') {
		query.gts = requireNumberInRange(context, filters.since, 'Since (Cursor)', itemIndex, [
			0,
			Number.MAX_SAFE_INTEGER,
		]);
	}
	return query;
}

async function execute(
	this: IExecuteFunctions,
	{ itemIndex, signal }: ItemRun,
): Promise<ItemResult> {
	const sessionId = readUuid(this, 'sessionId', 'Session ID', itemIndex);
	const threadIdValue = this.getNodeParameter('threadId', itemIndex, '') as string;
	const threadId = threadIdValue ? readUuid(this, 'threadId', 'Thread ID', itemIndex) : undefined;
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll
		? Infinity
		: requireNumberInRange(
				this,
				this.getNodeParameter('limit', itemIndex, 50),
				'Limit',
				itemIndex,
				[1, Number.MAX_SAFE_INTEGER],
			);
	const query = readQuery(this, itemIndex);
	const path = threadId
		? apiPath.threadMessages(sessionId, threadId)
		: apiPath.sessionMessages(sessionId);

	const messages = await readMessagePages(this, { path, query, limit, itemIndex, signal });
	const listed = messages.sort(byTime).slice(0, limit);
	return {
		items: listed.map((message) => ({ json: message })),
		toolAnswer: () => messagesAnswer(listed),
	};
}

export const getAll: BlocksOperation = { description, execute };
