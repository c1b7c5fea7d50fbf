import type {
	IExecuteFunctions,
	INodeExecutionData,
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
import { NODE_NAME } from './identity';

export class Blocks implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Blocks',
		name: NODE_NAME,
		icon: { light: 'file:blocks.svg', dark: 'file:blocks.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ { "session:create": "Create Session", "session:sendMessage": "Send Message", "session:get": "Get Session", "session:waitForReply": "Wait for Reply", "message:getAll": "Get Many Messages", "artifact:get": "Get Artifact", "artifact:getAllForSession": "Get Session Artifacts" }[$parameter["resource"] + ":" + $parameter["operation"]] }}',
		description:
			'Start Blocks coding-agent sessions, send follow-ups, wait for replies and get the files the agent wrote',
		defaults: { name: 'Blocks' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		// One output, or Replied and Still Working: see actions/outputs.ts.
		outputs: OUTPUTS_EXPRESSION,
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [
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
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
