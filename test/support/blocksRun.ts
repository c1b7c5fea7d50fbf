import type { IDataObject, INode, INodeExecutionData, INodeParameters, IRun } from 'n8n-workflow';

import { BlocksApi } from '../../credentials/BlocksApi.credentials';
import {
	BLOCKS_TYPE,
	blocksNode,
	chain,
	nodeError,
	nodeOutput,
	nodeRuns,
	runWorkflow,
	type WorkflowJson,
} from '../../engine';
import { Blocks } from '../../nodes/Blocks/Blocks.node';

export interface Credential {
	apiKey: string;
	baseUrl: string;
	requestsPerMinute?: number;
	reservedPercent?: number;
}

export interface BlocksRunOptions {
	credential: Credential;
	input?: IDataObject[];
	cancel?: AbortSignal;
	onNodeFinished?: (nodeName: string, runs: number) => void;
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
		onNodeFinished: options.onNodeFinished,
	});
}

/** Runs one Blocks node (after Start) and returns its run. */
export async function runNode(
	parameters: INodeParameters,
	options: BlocksRunOptions & { node?: Partial<INode> },
): Promise<IRun> {
	return await runBlocks(chain(blocksNode('Blocks', parameters, options.node)), options);
}

export { blocksNode, chain, nodeError, nodeOutput, nodeRuns };
