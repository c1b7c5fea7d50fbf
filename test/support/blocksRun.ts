import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
} from 'n8n-workflow';

import { BlocksApi } from '../../credentials/BlocksApi.credentials';
import {
	blocksNode,
	chain,
	nodeError,
	nodeOutput,
	nodeRuns,
	runWorkflow,
	type RunOptions,
	type WorkflowJson,
} from '../engine';
import { Blocks } from '../../nodes/Blocks/Blocks.node';
import { NODE_TYPE } from '../../nodes/Blocks/identity';

export interface Credential {
	apiKey: string;
	baseUrl: string;
	requestsPerMinute?: number;
	reservedPercent?: number;
	processesSharingKey?: number;
}

export interface BlocksRunOptions {
	credential: Credential;
	input?: IDataObject[];
	cancel?: AbortSignal;
	onNodeFinished?: (nodeName: string, runs: number) => void;
	/** Streams the run's response to this (see test/engine/runWorkflow.ts). */
	onChunk?: RunOptions['onChunk'];
	streaming?: boolean;
	/** Node types the workflow uses besides the Blocks node and the engine's stand-ins. */
	nodeTypes?: Record<string, INodeType>;
}

/** Runs not yet finished, with the switch that cancels each. */
const unfinished = new Map<Promise<unknown>, AbortController>();

/** Runs a workflow through n8n's engine with the Blocks node and credential registered. */
export async function runBlocks(workflow: WorkflowJson, options: BlocksRunOptions): Promise<IRun> {
	const teardown = new AbortController();
	const run = runWorkflow({
		workflow,
		nodeTypes: { [NODE_TYPE]: new Blocks(), ...options.nodeTypes },
		credentialTypes: { blocksApi: new BlocksApi() },
		credentials: { blocksApi: { ...options.credential } },
		input: options.input?.map((json): INodeExecutionData => ({ json })),
		cancel: options.cancel ? AbortSignal.any([options.cancel, teardown.signal]) : teardown.signal,
		onNodeFinished: options.onNodeFinished,
		onChunk: options.onChunk,
		streaming: options.streaming,
	});
	unfinished.set(run, teardown);
	try {
		return await run;
	} finally {
		unfinished.delete(run);
	}
}

/**
 * Cancels every run a test left behind (it failed or timed out while a wait was polling) and
 * waits for them to end, so nothing keeps polling into the next test or keeps Jest alive.
 */
export async function cancelUnfinishedRuns(): Promise<void> {
	const runs = [...unfinished];
	for (const [, teardown] of runs) teardown.abort();
	await Promise.allSettled(runs.map(([run]) => run));
}

/** Runs one Blocks node (after Start) and returns its run. */
export async function runNode(
	parameters: INodeParameters,
	options: BlocksRunOptions & { node?: Partial<INode> },
): Promise<IRun> {
	return await runBlocks(chain(blocksNode('Blocks', parameters, options.node)), options);
}

/** A node of n8n's own (a trigger, a Wait, a No Op) with its defaults, to wire beside Blocks nodes. */
export function plainNode(name: string, type: string): INode {
	return { id: name, name, type, typeVersion: 1, position: [0, 0], parameters: {} };
}

export { blocksNode, chain, nodeError, nodeOutput, nodeRuns };
