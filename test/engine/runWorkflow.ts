import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	INode,
	INodeExecutionData,
	INodeType,
	IRun,
	IWorkflowExecuteAdditionalData,
	StructuredChunk,
	IWorkflowSettings,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { InMemoryCredentialsHelper } from './credentialsHelper';
import { MANUAL_TRIGGER_TYPE, NodeTypeRegistry, standInNodeTypes } from './nodeTypes';

export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
}

export interface RunOptions {
	workflow: WorkflowJson;
	/** Node classes by the type name the workflow uses (e.g. `n8n-nodes-blocks.blocks`). */
	nodeTypes: Record<string, INodeType>;
	/** Credential classes by type name, and their decrypted data. */
	credentialTypes: Record<string, ICredentialType>;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Items the start node passes on; one empty item by default, as a manual run has. */
	input?: INodeExecutionData[];
	/** Aborting it cancels the execution, as the editor's stop button does. */
	cancel?: AbortSignal;
	/** Called each time a node finishes a run, with the node's name and how many runs it has had. */
	onNodeFinished?: (nodeName: string, runs: number) => void;
	/** The node the run starts from (a trigger, run as the editor's test does); the Manual Trigger by default. */
	startNode?: string;
	/**
	 * Streams the execution's response, as a Webhook set to "Respond: Streaming" does: each chunk
	 * a node sends comes here, in order, as n8n would write it to the HTTP response.
	 */
	onChunk?: (chunk: StructuredChunk) => void;
	/** Whether the execution streams (default: when `onChunk` is given); false keeps the handler. */
	streaming?: boolean;
}

const START_NODE_TYPE = MANUAL_TRIGGER_TYPE;

/**
 * Runs a workflow through n8n's own execution engine (`WorkflowExecute` from n8n-core), the
 * way n8n's node tests do: real parameter and expression resolution, real
 * `httpRequestWithAuthentication`, real pairing and error handling. Resolves with the run data.
 */
export async function runWorkflow(options: RunOptions): Promise<IRun> {
	const nodeTypes = registryFor(options.nodeTypes);
	const workflow = new Workflow({
		id: options.workflow.id ?? 'test',
		name: options.workflow.name,
		nodes: options.workflow.nodes,
		connections: options.workflow.connections,
		settings: options.workflow.settings,
		active: false,
		nodeTypes,
	});
	const startNode = options.workflow.nodes.find((node) =>
		options.startNode ? node.name === options.startNode : node.type === START_NODE_TYPE,
	);
	if (!startNode) {
		throw new Error(
			`The workflow has no ${options.startNode ?? START_NODE_TYPE} node to start from`,
		);
	}

	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
		id: workflow.id,
		name: workflow.name ?? 'test',
		active: false,
		isArchived: false,
		nodes: options.workflow.nodes,
		connections: options.workflow.connections,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	const finished = new Promise<IRun>((resolve) => {
		hooks.addHandler('workflowExecuteAfter', (run) => resolve(run));
	});
	if (options.onNodeFinished) {
		const runsOf = new Map<string, number>();
		hooks.addHandler('nodeExecuteAfter', (nodeName) => {
			runsOf.set(nodeName, (runsOf.get(nodeName) ?? 0) + 1);
			options.onNodeFinished?.(nodeName, runsOf.get(nodeName) ?? 0);
		});
	}
	if (options.onChunk) hooks.addHandler('sendChunk', options.onChunk);
	// As n8n does when an execution starts: a workflow's "Timeout Workflow" becomes a timestamp
	// the engine and the nodes can read, and the execution is cancelled when it passes.
	const timeoutSeconds = options.workflow.settings?.executionTimeout ?? -1;
	const executionTimeoutTimestamp =
		timeoutSeconds > 0 ? Date.now() + timeoutSeconds * 1000 : undefined;

	const additionalData = engineAdditionalData(options, hooks, executionTimeoutTimestamp);
	if (options.streaming ?? options.onChunk !== undefined) additionalData.streamingEnabled = true;

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: startNode, data: { main: [options.input ?? [{ json: {} }]] }, source: null },
			],
		},
	});

	const execution = new WorkflowExecute(
		additionalData,
		'manual',
		runExecutionData,
	).processRunExecutionData(workflow);
	const stop = () => execution.cancel();
	options.cancel?.addEventListener('abort', stop, { once: true });
	const timeLimit =
		executionTimeoutTimestamp === undefined
			? undefined
			: setTimeout(stop, executionTimeoutTimestamp - Date.now());
	try {
		await execution;
		return await finished;
	} finally {
		options.cancel?.removeEventListener('abort', stop);
		clearTimeout(timeLimit);
	}
}

/** The node types of a run: the given ones and the stand-ins for n8n's own nodes. */
export function registryFor(types: Record<string, INodeType>): NodeTypeRegistry {
	return new NodeTypeRegistry({ ...standInNodeTypes(), ...types });
}

/** What n8n hands the engine besides the workflow: credentials, URLs, hooks. */
export function engineAdditionalData(
	options: Pick<RunOptions, 'credentialTypes' | 'credentials'>,
	hooks?: ExecutionLifecycleHooks,
	executionTimeoutTimestamp?: number,
): IWorkflowExecuteAdditionalData {
	return {
		hooks,
		credentialsHelper: new InMemoryCredentialsHelper(options.credentialTypes, options.credentials),
		executionId: 'test-execution',
		executionTimeoutTimestamp,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		variables: {},
		currentNodeParameters: undefined,
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not available in the test engine');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('Code runners are not available in the test engine');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}
