import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../credentials/BlocksApi.credentials';
import { artifactDescription } from './actions/artifact/Artifact.resource';
import { messageDescription } from './actions/message/Message.resource';
import { OUTPUTS_EXPRESSION } from './actions/outputs';
import { router } from './actions/router';
import { sessionDescription } from './actions/session/Session.resource';
import { subtitleOf } from './actions/subtitle';
import { NODE_NAME } from './identity';

/** The Resource field, then each resource's Operation field and its operations' fields. */
const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Artifact', value: 'artifact' },
			{ name: 'Message', value: 'message' },
			{ name: 'Session', value: 'session' },
		],
		default: 'session',
	},
	...sessionDescription,
	...messageDescription,
	...artifactDescription,
];

export class Blocks implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Blocks',
		name: NODE_NAME,
		icon: { light: 'file:blocks.svg', dark: 'file:blocks.dark.svg' },
		group: ['transform'],
		version: 1,
		// the chosen operation's action label, read from the resources' Operation fields
		subtitle: subtitleOf(properties),
		description:
			'Start Blocks coding-agent sessions, send follow-ups, wait for replies and get the files the agent wrote',
		defaults: { name: 'Blocks' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		// One output, or Replied and Still Working: see actions/outputs.ts.
		outputs: OUTPUTS_EXPRESSION,
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
