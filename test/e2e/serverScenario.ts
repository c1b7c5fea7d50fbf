/**
 * What a server scenario is: a workflow run the way production runs it, in `n8n start`, started
 * by a request to its Webhook node and followed through n8n's REST API (an execution that parks
 * in the database and resumes, a workflow time limit: things `n8n execute` cannot show). Each
 * lives in its own file under test/e2e/scenarios/ and is listed in SERVER_SCENARIOS there;
 * test/e2e/serverVersion.ts imports and activates their workflows and runs them one by one.
 */
import type { BlocksEmulator, RequestLogEntry } from '../../emulator';
import { httpRequest } from '../support/http';
import { pollUntil } from '../support/pollUntil';
import type { ExecutionDetail, ExecutionSummary, N8nRest, NodeRun } from '../real-n8n/rest';
import type { WorkflowJson, WorkflowNode } from '../real-n8n/workflowFiles';
import { assert } from './checks';
import type { Scenario } from './scenario';

export interface ServerScenario<State = undefined> {
	/** A test fixture (test/e2e/workflows/) or a shipped example (examples/), as for Scenario. */
	workflow: Scenario['workflow'];
	/**
	 * The first n8n major version that has what the workflow needs (e.g. 2 for the human-review
	 * tool nodes); older versions skip the scenario with a note. Every version when absent.
	 */
	sinceN8nMajor?: number;
	/**
	 * Turns the workflow file into what is imported (e.g. an example with a Webhook trigger). It
	 * runs before n8n starts, with the emulator already up (e.g. to make a session to watch).
	 */
	adapt?(workflow: WorkflowJson, blocks: BlocksAccess): WorkflowJson | Promise<WorkflowJson>;
	/**
	 * Left inactive when n8n starts, for `run` to activate (and deactivate when done): a polling
	 * trigger would otherwise poll, and spend the key's budget, through every other scenario.
	 */
	activatedByRun?: boolean;
	/**
	 * Optional, before n8n imports the credentials: start what the workflow needs besides the
	 * Blocks emulator (e.g. a model emulator) and return the credentials that point at it.
	 * `close` runs once the version's server scenarios ran, also when one failed.
	 */
	prepare?(): Promise<ServerPrepared<State>>;
	/** Starts the workflow through its webhook and checks what comes of it. */
	run(run: ServerScenarioRun, state: State): Promise<void>;
}

/** The emulator and the run's key, as a scenario's `adapt` gets them. */
export interface BlocksAccess {
	emulator: BlocksEmulator;
	apiKey: string;
}

export interface ServerPrepared<State> {
	/** Credentials to import beside the Blocks ones, as `n8n import:credentials` takes them. */
	credentials: unknown[];
	state: State;
	close(): Promise<void>;
}

/** A server scenario of any state, as SERVER_SCENARIOS holds them. */
export type AnyServerScenario = ServerScenario<unknown>;

export interface ServerScenarioRun {
	/** One PASS/FAIL line, its name prefixed with the n8n version. */
	check(name: string, fn: () => Promise<string | void> | string | void): Promise<boolean>;
	fileName: string;
	/** The workflow as imported and activated. */
	workflow: WorkflowJson;
	/** n8n's REST API, signed in as the owner. */
	rest: N8nRest;
	emulator: BlocksEmulator;
	apiKey: string;
	/** What the emulator received since this scenario started. */
	requests(): RequestLogEntry[];
}

const WEBHOOK_NODE_TYPE = 'n8n-nodes-base.webhook';

/** A Webhook trigger answering POST on `path` at once (its production URL is /webhook/<path>). */
export function webhookNode(name: string, path: string, webhookId: string): WorkflowNode {
	return {
		id: webhookId,
		name,
		type: WEBHOOK_NODE_TYPE,
		typeVersion: 2,
		position: [0, 0],
		webhookId,
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
	};
}

/** Calls the workflow's Webhook node at its production URL and returns its one execution. */
export async function startThroughWebhook(run: ServerScenarioRun): Promise<ExecutionSummary> {
	const hook = run.workflow.nodes.find((n) => n.type === WEBHOOK_NODE_TYPE);
	assert(hook, `${run.fileName} has no Webhook node`);
	const url = `${run.rest.baseUrl}/webhook/${String(hook.parameters?.path)}`;
	const r = await httpRequest('POST', url, { body: {} });
	assert(r.status === 200, `POST ${url} answered ${r.status}: ${r.text.slice(0, 200)}`);
	const workflowId = String(run.workflow.id);
	return pollUntil(async () => (await run.rest.executionsOf(workflowId))[0], {
		timeoutMs: 30_000,
		intervalMs: 250,
		description: `an execution of workflow ${workflowId}`,
	});
}

/** Polls the execution until `done` holds for it; returns it with its run data. */
export function executionWhen(
	rest: N8nRest,
	id: string,
	done: (e: ExecutionDetail) => boolean,
	options: { timeoutMs: number; description: string },
): Promise<ExecutionDetail> {
	return pollUntil(
		async () => {
			const e = await rest.execution(id);
			return done(e) ? e : undefined;
		},
		{ ...options, intervalMs: 500 },
	);
}

/** The runs of a node in an execution (fails when it has none). */
export function nodeRuns(e: ExecutionDetail, node: string): NodeRun[] {
	const runs = e.data.resultData.runData[node];
	assert(runs && runs.length > 0, `node "${node}" did not run`);
	return runs;
}

/** The items of one output of one run of a node. */
export function outputOf(run: NodeRun, output: number): Array<{ json: Record<string, unknown> }> {
	assert(!run.error, `the node failed: ${run.error?.message}`);
	return run.data?.main?.[output] ?? [];
}

/** The create calls (POST …/sessions) among `requests` that carried `apiKey`. */
export function sessionCreates(requests: RequestLogEntry[], apiKey: string): RequestLogEntry[] {
	return requests.filter(
		(e) =>
			e.method === 'POST' &&
			/\/sessions\/?$/.test(e.path) &&
			e.authorization === `ApiKey ${apiKey}`,
	);
}
