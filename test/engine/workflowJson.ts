import type { INode, INodeParameters } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../credentials/BlocksApi.credentials';
import { NODE_TYPE } from '../../nodes/Blocks/identity';
import { MANUAL_TRIGGER_TYPE } from './nodeTypes';
import type { WorkflowJson } from './runWorkflow';

// Workflow JSON as the n8n editor saves it, for tests and scripts that build workflows in code.

/** A Blocks node as it is saved in a workflow. */
export function blocksNode(
	name: string,
	parameters: INodeParameters,
	extra: Partial<INode> = {},
): INode {
	return {
		id: name,
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: '1', name: 'Blocks API' } },
		...extra,
	};
}

/** Start → nodes[0] → nodes[1] → …, the shape of most Blocks workflows. */
export function chain(...nodes: INode[]): WorkflowJson {
	const start: INode = {
		id: 'start',
		name: 'Start',
		type: MANUAL_TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const all = [start, ...nodes];
	const connections: WorkflowJson['connections'] = {};
	for (let i = 0; i + 1 < all.length; i++) {
		connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { nodes: all, connections };
}
