import type { IDataObject, INode, INodeExecutionData, INodeParameters, IRun } from 'n8n-workflow';

import { BlocksApi } from '../../credentials/BlocksApi.credentials';
import { nodeError, nodeOutput, runWorkflow, type WorkflowJson } from '../../engine';
import { Blocks } from '../../nodes/Blocks/Blocks.node';

export const BLOCKS_TYPE = 'n8n-nodes-blocks.blocks';

export interface Credential {
	apiKey: string;
	baseUrl: string;
}

/** A Blocks node as it is saved in a workflow. */
export function blocksNode(name: string, parameters: INodeParameters, extra: Partial<INode> = {}): INode {
	return {
		id: name,
		name,
		type: BLOCKS_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { blocksApi: { id: '1', name: 'Blocks API' } },
		...extra,
	};
}

/** Start → nodes[0] → nodes[1] → …, the shape of most Blocks workflows. */
export function chain(...nodes: INode[]): WorkflowJson {
	const start: INode = {
		id: 'start',
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
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

export interface BlocksRunOptions {
	credential: Credential;
	input?: IDataObject[];
	cancel?: AbortSignal;
}

/** Runs a workflow through n8n's engine with the Blocks node and credential registered. */
export async function runBlocks(workflow: WorkflowJson, options: BlocksRunOptions): Promise<IRun> {
	return await runWorkflow({
		workflow,
		nodeTypes: { [BLOCKS_TYPE]: new Blocks() },
		credentialTypes: { blocksApi: new BlocksApi() },
		credentials: { blocksApi: { ...options.credential } },
		input: options.input?.map((json): INodeExecutionData => ({ json })),
		cancel: options.cancel,
	});
}

/** Runs one Blocks node (after Start) and returns its run. */
export async function runNode(
	parameters: INodeParameters,
	options: BlocksRunOptions & { node?: Partial<INode> },
): Promise<IRun> {
	return await runBlocks(chain(blocksNode('Blocks', parameters, options.node)), options);
}

export { nodeError, nodeOutput };
