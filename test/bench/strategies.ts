/**
 * The three ways of getting agent replies into a workflow that the bench compares: this node's
 * Wait for Reply, run through n8n's engine, and two baselines that model what users build today
 * (they talk HTTP to the emulator directly, as their Code or HTTP Request nodes would).
 */
import type { IDataObject } from 'n8n-workflow';

import { BlocksApi } from '../../credentials/BlocksApi.credentials';
import { blocksNode, chain, runWorkflow, type WorkflowJson } from '../engine';
import { Blocks } from '../../nodes/Blocks/Blocks.node';
import type { ScaledClock } from '../engine/scaledClock';
import { httpRequest } from '../support/http';
import { NODE_TYPE } from '../../nodes/Blocks/identity';

/** The quick-start's and the n8n loop's pause between polls, and the node's default interval. */
const POLL_INTERVAL_MS = 5_000;
/** The node's Max Wait: long enough for every scenario's longest reply under the rate limit. */
const NODE_MAX_WAIT_SECONDS = 3_600;

export interface BenchItem {
	/** Sent as the session's first message; it tells the scripted agent its reply time. */
	message: string;
}

interface RunContext {
	baseUrl: string;
	apiKey: string;
	clock: ScaledClock;
	items: BenchItem[];
	/** false: create the sessions and stop there. */
	waitForReply: boolean;
	/** Aborted when the run reaches its time cap. */
	signal: AbortSignal;
}

export interface ItemOutcome {
	index: number;
	state: 'done' | 'failed' | 'unfinished';
	sessionId?: string;
	threadId?: string;
	reason?: string;
}

export interface StrategyOutcome {
	items: ItemOutcome[];
	/** The run was stopped at the time cap. */
	capped: boolean;
}

export interface Strategy {
	key: 'node' | 'quickstart' | 'n8nloop';
	label: string;
	run(context: RunContext): Promise<StrategyOutcome>;
}

// ---------------------------------------------------------------------------------------------
// (1) This node: Start with N items → Blocks "Create Session" (Wait for Reply on), in n8n's engine.

const BLOCKS_NODE = 'Create Session';

function nodeWorkflow(waitForReply: boolean): WorkflowJson {
	const blocks = blocksNode(
		BLOCKS_NODE,
		{
			resource: 'session',
			operation: 'create',
			agentName: 'claude',
			message: '={{ $json.message }}',
			waitForReply,
			// Defaults except Max Wait (default 600 s), raised so no scenario can time out.
			...(waitForReply
				? {
						maxWaitSeconds: NODE_MAX_WAIT_SECONDS,
						pollIntervalSeconds: POLL_INTERVAL_MS / 1000,
						onTimeout: 'error',
					}
				: {}),
			options: {},
		},
		// Error items instead of a failed run, so failed items can be counted one by one.
		{ onError: 'continueRegularOutput' },
	);
	return {
		id: 'blocksBench',
		name: 'Blocks bench',
		...chain(blocks),
		settings: { executionOrder: 'v1' },
	};
}

const nodeStrategy: Strategy = {
	key: 'node',
	label: 'This node (Wait for Reply)',
	async run(context) {
		const items: ItemOutcome[] = context.items.map((_, index) => ({ index, state: 'unfinished' }));
		let failure: string | undefined;
		let output: Array<{ json: IDataObject; pairedItem?: unknown }> = [];
		try {
			const run = await runWorkflow({
				workflow: nodeWorkflow(context.waitForReply),
				nodeTypes: { [NODE_TYPE]: new Blocks() },
				credentialTypes: { blocksApi: new BlocksApi() },
				credentials: { blocksApi: { apiKey: context.apiKey, baseUrl: context.baseUrl } },
				input: context.items.map((item) => ({ json: { message: item.message } })),
				cancel: context.signal,
			});
			const task = run.data.resultData.runData[BLOCKS_NODE]?.[0];
			if (task?.error) failure = task.error.message;
			output = (task?.data?.main?.[0] ?? []) as typeof output;
		} catch (error) {
			failure = (error as Error).message;
		}
		const capped = context.signal.aborted;
		for (const { json, pairedItem } of output) {
			const index = (pairedItem as { item?: number } | undefined)?.item;
			if (index === undefined || !items[index]) continue;
			const outcome = items[index];
			if (typeof json.error === 'string') {
				Object.assign(outcome, { state: 'failed', reason: json.error });
			} else if (context.waitForReply && json.status !== 'replied') {
				Object.assign(outcome, { state: 'failed', reason: `status ${String(json.status)}` });
			} else {
				Object.assign(outcome, {
					state: 'done',
					sessionId: String(context.waitForReply ? json.session_id : json.id),
					threadId: String(json.thread_id),
				});
			}
		}
		if (failure && !capped) {
			for (const outcome of items) {
				if (outcome.state === 'unfinished')
					Object.assign(outcome, { state: 'failed', reason: failure });
			}
		}
		return { items, capped };
	},
};

// ---------------------------------------------------------------------------------------------
// The baselines' HTTP: one plain request (the tooling's client), no retries, any non-2xx answer
// fails the item.

interface Answer {
	status: number;
	body: IDataObject | undefined;
}

class Capped extends Error {}

async function call(
	context: RunContext,
	method: 'GET' | 'POST',
	url: string,
	body?: IDataObject,
): Promise<Answer> {
	try {
		const response = await httpRequest<IDataObject | undefined>(method, url, {
			body,
			headers: { authorization: `ApiKey ${context.apiKey}` },
			signal: context.signal,
		});
		return { status: response.status, body: response.body };
	} catch (error) {
		if (context.signal.aborted) throw new Capped();
		return { status: 0, body: { error: (error as Error).message } };
	}
}

const ok = (answer: Answer) => answer.status >= 200 && answer.status < 300;

async function createSession(
	context: RunContext,
	item: BenchItem,
	outcome: ItemOutcome,
): Promise<string | undefined> {
	const answer = await call(context, 'POST', `${context.baseUrl}/rest/v1/sessions`, {
		agent_name: 'claude',
		message: item.message,
	});
	if (!ok(answer)) {
		Object.assign(outcome, { state: 'failed', reason: `create answered ${answer.status}` });
		return undefined;
	}
	outcome.sessionId = String(answer.body?.id);
	outcome.threadId = String(answer.body?.thread_id);
	const links = answer.body?._links as { final_message?: { href?: string } } | undefined;
	return links?.final_message?.href;
}

function hasReply(answer: Answer): boolean {
	const items = answer.body?.items;
	return Array.isArray(items) && items.length > 0;
}

async function untilCapped(context: RunContext, items: ItemOutcome[], work: () => Promise<void>) {
	try {
		await work();
		return { items, capped: false };
	} catch (error) {
		if (error instanceof Capped || context.signal.aborted) return { items, capped: true };
		throw error;
	}
}

// ---------------------------------------------------------------------------------------------
// (2) The quick-start loop in a Code node: create every session, then poll all of them every 5 s.

const quickStartStrategy: Strategy = {
	key: 'quickstart',
	label: 'Quick-start loop (Code node)',
	async run(context) {
		const items: ItemOutcome[] = context.items.map((_, index) => ({ index, state: 'unfinished' }));
		return await untilCapped(context, items, async () => {
			let waiting: Array<{ outcome: ItemOutcome; href: string }> = [];
			for (const [index, item] of context.items.entries()) {
				const outcome = items[index];
				const href = await createSession(context, item, outcome);
				if (outcome.state === 'failed') continue;
				if (!context.waitForReply) outcome.state = 'done';
				else if (href) waiting.push({ outcome, href });
				else Object.assign(outcome, { state: 'failed', reason: 'no final_message link' });
			}
			while (waiting.length > 0) {
				const answers = await Promise.all(
					waiting.map(async (entry) => ({ entry, answer: await call(context, 'GET', entry.href) })),
				);
				waiting = [];
				for (const { entry, answer } of answers) {
					if (!ok(answer))
						Object.assign(entry.outcome, {
							state: 'failed',
							reason: `poll answered ${answer.status}`,
						});
					else if (hasReply(answer)) entry.outcome.state = 'done';
					else waiting.push(entry);
				}
				if (waiting.length > 0) await sleepOrCapped(context, POLL_INTERVAL_MS);
			}
		});
	},
};

// ---------------------------------------------------------------------------------------------
// (3) The n8n loop: one item after another — create, then HTTP Request GET → IF → Wait 5 s → back.

const n8nLoopStrategy: Strategy = {
	key: 'n8nloop',
	label: 'n8n loop (HTTP Request + Wait + IF)',
	async run(context) {
		const items: ItemOutcome[] = context.items.map((_, index) => ({ index, state: 'unfinished' }));
		return await untilCapped(context, items, async () => {
			for (const [index, item] of context.items.entries()) {
				const outcome = items[index];
				const href = await createSession(context, item, outcome);
				if (outcome.state === 'failed') continue;
				if (!context.waitForReply) {
					outcome.state = 'done';
					continue;
				}
				if (!href) {
					Object.assign(outcome, { state: 'failed', reason: 'no final_message link' });
					continue;
				}
				for (;;) {
					const answer = await call(context, 'GET', href);
					if (!ok(answer)) {
						Object.assign(outcome, { state: 'failed', reason: `poll answered ${answer.status}` });
						break;
					}
					if (hasReply(answer)) {
						outcome.state = 'done';
						break;
					}
					await sleepOrCapped(context, POLL_INTERVAL_MS);
				}
			}
		});
	},
};

async function sleepOrCapped(context: RunContext, ms: number): Promise<void> {
	try {
		await context.clock.sleep(ms, context.signal);
	} catch {
		throw new Capped();
	}
}

export const STRATEGIES: Strategy[] = [nodeStrategy, quickStartStrategy, n8nLoopStrategy];
