import type { INodeProperties } from 'n8n-workflow';

import { getAll } from './getAll.operation';

export const messageOperations = { getAll };

export const messageDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List a session’s messages, oldest first',
				action: 'Get many messages',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
