import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../credentials/BlocksApi.credentials';
import { TRIGGER_NODE_NAME } from './identity';
import { triggerProperties } from './trigger/description';
import { pollSessions } from './trigger/poll';

export class BlocksTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Blocks Trigger',
		name: TRIGGER_NODE_NAME,
		icon: { light: 'file:blocks.svg', dark: 'file:blocks.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ [].concat($parameter["messageTypes"] || []).join(", ") + " from " + ({ assistant: "the agent", user: "users", any: "the agent and users" })[$parameter["role"]] }}',
		description:
			'Starts the workflow when a Blocks coding agent posts new messages in chosen sessions',
		defaults: { name: 'Blocks Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: triggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollSessions.call(this);
	}
}
