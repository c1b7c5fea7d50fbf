import type { INodeProperties } from 'n8n-workflow';

import { get } from './get.operation';
import { getAllForSession } from './getAllForSession.operation';

export const artifactOperations = { get, getAllForSession };

export const artifactDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['artifact'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get a file or plan the agent wrote, and optionally download it',
				action: 'Get an artifact',
			},
			{
				name: 'Get Many for Session',
				value: 'getAllForSession',
				description: 'Get the plans of a session (its "plan_artifact_ids"), optionally downloaded',
				action: 'Get many artifacts of a session',
			},
		],
		default: 'get',
	},
	...get.description,
	...getAllForSession.description,
];
