/**
 * The queue-mode scenarios: 100 waits on one key spread over two workers, and the same with one
 * worker killed mid-wait. Each asserts on the emulator's request log (what reached Blocks) and on
 * n8n's execution records in PostgreSQL (what n8n made of it).
 */
import type { BlocksEmulator, RequestLogEntry } from '../../emulator';
import { clairvoyantMakespanMs } from '../bench/measure';
import { SeededRandom, seedFor } from '../bench/prng';
import { assert, assertEqual, Checks } from '../e2e/checks';
import { httpRequest, type HttpResponse } from '../support/http';
import { pollUntil } from '../support/pollUntil';
import type { QueueCluster, Worker } from './cluster';
import { ExecutionRecords, ExecutionRecord, isDone, Item } from './records';
import { CREATE_NODE, WAIT_NODE } from './workflows';

const EXECUTIONS = 4;
const ITEMS_PER_EXECUTION = 25;
const WAITS = EXECUTIONS * ITEMS_PER_EXECUTION;
/** What the node's budget allows a key with the credential's defaults (100 a minute, 10 % reserved). */
const KEY_ALLOWANCE = 90;
const REPLY_SPREAD_MS = { from: 30_000, to: 150_000 };

/** The reply delay of a message: spread over 30–150 s, the same on every run. */
export function replyDelayMs(message: string): number {
	return Math.round(
		new SeededRandom(seedFor(1, message)).uniform(REPLY_SPREAD_MS.from, REPLY_SPREAD_MS.to),
	);
}

export interface ScenarioContext {
	checks: Checks;
	cluster: QueueCluster;
	emulator: BlocksEmulator;
	records: ExecutionRecords;
	/** The reply delay the agent gives each message, ms. */
	replyDelayMs: (message: string) => number;
	/** The message each thread was started with. */
	messageOfThread: (threadId: string) => string | undefined;
}

export interface KeyUse {
	requests: number;
	rateLimited: number;
	sessionsCreated: number;
}

export function keyUse(log: RequestLogEntry[], apiKey: string): KeyUse {
	const mine = log.filter((entry) => entry.authorization === `ApiKey ${apiKey}`);
	return {
		requests: mine.length,
		rateLimited: mine.filter((entry) => entry.status === 429).length,
		sessionsCreated: mine.filter(
			(entry) =>
				entry.method === 'POST' &&
				entry.path === '/rest/v1/sessions' &&
				entry.status >= 200 &&
				entry.status < 300,
		).length,
	};
}

function messagesFor(label: string, execution: number): Array<{ message: string }> {
	return Array.from({ length: ITEMS_PER_EXECUTION }, (_, item) => ({
		message: `${label}: execution ${execution + 1}, item ${item + 1}`,
	}));
}

/**
 * Posts to a published workflow's webhook; resolves with the answer and when the answered post
 * was sent. A single n8n registers the webhooks of published workflows a little after it says
 * it is ready, and answers 404 until then: a 404 started nothing, so the post is sent again
 * until the webhook is there.
 */
export async function postWhenRegistered(
	cluster: QueueCluster,
	webhookPath: string,
	body: unknown,
): Promise<{ response: HttpResponse; sentAt: number }> {
	return await pollUntil(
		async () => {
			const sentAt = Date.now();
			const response = await httpRequest('POST', cluster.webhookUrl(webhookPath), { body });
			return response.status === 404 ? undefined : { response, sentAt };
		},
		{ description: `webhook ${webhookPath} registered`, timeoutMs: 120_000, intervalMs: 500 },
	);
}

/**
 * Posts the executions' items to the workflow's webhook, all at once; resolves with the messages
 * and when the first post that started an execution was sent.
 */
async function startExecutions(
	cluster: QueueCluster,
	webhookPath: string,
	label: string,
): Promise<{ messages: string[]; startedAt: number }> {
	const messages: string[] = [];
	const sent = await Promise.all(
		Array.from({ length: EXECUTIONS }, async (_, execution) => {
			const prompts = messagesFor(label, execution);
			messages.push(...prompts.map((prompt) => prompt.message));
			const { response, sentAt } = await postWhenRegistered(cluster, webhookPath, { prompts });
			assertEqual(response.status, 200, `webhook ${webhookPath} answer`);
			return sentAt;
		}),
	);
	return { messages, startedAt: Math.min(...sent) };
}

async function executionsOf(
	ctx: ScenarioContext,
	workflowId: string,
	until: (executions: ExecutionRecord[]) => boolean,
	timeoutMs: number,
): Promise<ExecutionRecord[]> {
	return await pollUntil(
		async () => {
			const executions = await ctx.records.ofWorkflow(workflowId);
			return until(executions) ? executions : undefined;
		},
		{
			description: `the executions of ${workflowId}`,
			errorsMeanNotYet: true,
			timeoutMs,
			intervalMs: 1_000,
		},
	);
}

function workersOf(ctx: ScenarioContext, executions: ExecutionRecord[]): Map<string, string[]> {
	const byWorker = new Map<string, string[]>();
	for (const execution of executions) {
		const name = ctx.cluster.workerOf(execution.id)?.name ?? 'unknown';
		byWorker.set(name, [...(byWorker.get(name) ?? []), execution.id]);
	}
	return byWorker;
}

function describeWorkers(byWorker: Map<string, string[]>): string {
	return [...byWorker.entries()]
		.sort()
		.map(([name, ids]) => `${name}: ${ids.length} (${ids.join(', ')})`)
		.join('; ');
}

/** Every wait item replied, with the agent's answer to the message its session was started with. */
function assertReplied(ctx: ScenarioContext, items: Item[] | undefined, what: string): void {
	assert(items, `${what}: no output recorded`);
	for (const item of items) {
		assertEqual(item.status, 'replied', `${what}: status of thread ${String(item.thread_id)}`);
		const message = ctx.messageOfThread(String(item.thread_id));
		assertEqual(
			item.reply,
			`You said: ${message}`,
			`${what}: reply of thread ${String(item.thread_id)}`,
		);
	}
}

export function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(1)} s`;
}

function percent(part: number, whole: number): string {
	return `${((100 * part) / Math.max(1, whole)).toFixed(2)} %`;
}

export interface SpreadResult {
	label: string;
	processes: number;
	use: KeyUse;
	wallMs: number;
	boundMs: number;
	executionsByWorker: Record<string, number>;
}

/** A spread under way: the messages posted, and when the first post that was taken was sent. */
export interface StartedSpread {
	label: string;
	startedAt: number;
	messages: string[];
}

/** Spread, first half: 4 executions × 25 items posted to the webhook at once. */
export async function startSpread(
	ctx: ScenarioContext,
	options: { label: string; webhookPath: string },
): Promise<StartedSpread | undefined> {
	let spread: StartedSpread | undefined;
	await ctx.checks.check(
		`spread ${options.label}: 4 executions × 25 items started through the webhook`,
		async () => {
			const posted = await startExecutions(ctx.cluster, options.webhookPath, options.label);
			spread = { label: options.label, ...posted };
			return `${posted.messages.length} items posted`;
		},
	);
	return spread;
}

/**
 * Spread, second half: replies over 30–150 s; every execution succeeds on one of both workers.
 * With `max429Share`, the share of 429s is asserted, and with `maxBoundFactor` the wall time
 * against the bound the key's budget forces; without, they are only reported.
 */
export async function checkSpread(
	ctx: ScenarioContext,
	started: StartedSpread,
	options: {
		workflowId: string;
		apiKey: string;
		processes: number;
		max429Share?: number;
		maxBoundFactor?: number;
	},
): Promise<SpreadResult | undefined> {
	const { checks } = ctx;
	const name = `spread, processes setting ${options.processes}`;
	const t0 = started.startedAt;
	const messages = started.messages;
	let executions: ExecutionRecord[] = [];
	const finished = await checks.check(`${name}: all 4 executions succeed`, async () => {
		executions = await executionsOf(
			ctx,
			options.workflowId,
			(all) => all.length === EXECUTIONS && all.every(isDone),
			10 * 60_000,
		);
		const statuses = executions.map((execution) => execution.status);
		assert(
			statuses.every((status) => status === 'success'),
			`statuses ${statuses.join(', ')}`,
		);
		return `executions ${executions.map((execution) => execution.id).join(', ')}`;
	});
	if (!finished) return undefined;
	const wallMs = Math.max(...executions.map((e) => Date.parse(e.stoppedAt ?? ''))) - t0;

	// A single n8n (no workers) runs them itself.
	const byWorker = ctx.cluster.workers.length
		? workersOf(ctx, executions)
		: new Map([['main', executions.map((e) => e.id)]]);
	if (ctx.cluster.workers.length) {
		await checks.check(`${name}: both workers ran some of them`, () => {
			assert(!byWorker.has('unknown'), `no worker logged ${byWorker.get('unknown')?.join(', ')}`);
			assert(byWorker.size === ctx.cluster.workers.length, describeWorkers(byWorker));
			return describeWorkers(byWorker);
		});
	}

	await checks.check(`${name}: all 100 items replied, 0 failed`, async () => {
		let replied = 0;
		for (const execution of executions) {
			const items = await ctx.records.outputOf(execution.id, WAIT_NODE);
			assertReplied(ctx, items, `execution ${execution.id}`);
			assertEqual(items?.length, ITEMS_PER_EXECUTION, `items out of execution ${execution.id}`);
			replied += items?.length ?? 0;
		}
		return `${replied} replied`;
	});

	const use = keyUse(ctx.emulator.requests, options.apiKey);
	await checks.check(`${name}: exactly 100 sessions`, () => {
		assertEqual(use.sessionsCreated, WAITS, 'sessions created with the key');
	});

	const share = use.rateLimited / Math.max(1, use.requests);
	const shareText = `${use.rateLimited} × 429 of ${use.requests} requests = ${percent(use.rateLimited, use.requests)}`;
	if (options.max429Share !== undefined) {
		await checks.check(`${name}: 429s at most ${options.max429Share * 100} % of requests`, () => {
			assert(share <= options.max429Share!, shareText);
			return shareText;
		});
	} else {
		console.log(`REPORT ${name}: ${shareText}`);
	}
	const boundMs = clairvoyantMakespanMs(messages.map(ctx.replyDelayMs), KEY_ALLOWANCE);
	const wallText =
		`wall time ${seconds(wallMs)} (first webhook call to last execution stopped) = ` +
		`${(wallMs / boundMs).toFixed(2)} × the budget-forced bound ${seconds(boundMs)} ` +
		`(a client that knew every reply time at ${KEY_ALLOWANCE} requests/min)`;
	if (options.maxBoundFactor !== undefined) {
		await checks.check(`${name}: wall time within ${options.maxBoundFactor} × the bound`, () => {
			assert(wallMs <= options.maxBoundFactor! * boundMs, wallText);
			return wallText;
		});
	} else {
		console.log(`REPORT ${name}: ${wallText}`);
	}
	return {
		label: started.label,
		processes: options.processes,
		use,
		wallMs,
		boundMs,
		executionsByWorker: Object.fromEntries(
			[...byWorker].map(([worker, ids]) => [worker, ids.length]),
		),
	};
}

export interface WorkerKillResult {
	killed: string;
	lostItems: number;
	killToFailedMs: number;
	resumeMs: number;
	resumeRequests: number;
}

/**
 * A worker dies: the same 100 waits, one worker SIGKILLed once every create has been saved and
 * the waits are running. The other worker's executions finish; n8n marks the killed ones
 * failed; the killed worker is restarted and runs nothing again; every lost wait is resumed from
 * the reply URL its create saved, through a Wait for Reply workflow, and gets its reply.
 */
export async function workerDies(
	ctx: ScenarioContext,
	options: {
		label: string;
		workflowId: string;
		webhookPath: string;
		resumeWorkflowId: string;
		resumeWebhookPath: string;
		apiKey: string;
	},
): Promise<WorkerKillResult | undefined> {
	const { checks, cluster } = ctx;
	const name = 'a worker dies';
	let executions: ExecutionRecord[] = [];
	let victim: Worker | undefined;
	let killedIds: string[] = [];
	const replyUrls = new Map<string, string[]>();

	const killed = await checks.check(
		`${name}: SIGKILL to a worker while its waits run`,
		async () => {
			await startExecutions(cluster, options.webhookPath, options.label);
			// Every create saved (so each wait is running) and nothing finished yet.
			executions = await executionsOf(
				ctx,
				options.workflowId,
				(all) => all.length === EXECUTIONS,
				120_000,
			);
			await pollUntil(
				async () => {
					for (const execution of executions) {
						if (replyUrls.has(execution.id)) continue;
						const items = await ctx.records.outputOf(execution.id, CREATE_NODE);
						if (items?.length !== ITEMS_PER_EXECUTION) return undefined;
						replyUrls.set(
							execution.id,
							items.map((item) =>
								String((item._links as { final_message: { href: string } }).final_message.href),
							),
						);
					}
					return true;
				},
				{
					description: 'every execution’s creates saved',
					errorsMeanNotYet: true,
					timeoutMs: 5 * 60_000,
					intervalMs: 1_000,
				},
			);
			const byWorker = workersOf(ctx, executions);
			assert(
				byWorker.size === cluster.workers.length && !byWorker.has('unknown'),
				`executions by worker: ${describeWorkers(byWorker)}`,
			);
			const now = await ctx.records.ofWorkflow(options.workflowId);
			assert(
				!now.some(isDone),
				`an execution ended before the kill: ${now.map((e) => e.status).join(', ')}`,
			);
			const [victimName, ids] = [...byWorker.entries()].sort()[0];
			victim = cluster.workers.find((worker) => worker.name === victimName);
			assert(victim, `no worker ${victimName}`);
			killedIds = ids;
			await cluster.killWorker(victim);
			return `${describeWorkers(byWorker)}; killed ${victimName}`;
		},
	);
	if (!killed || !victim) return undefined;
	const killedAt = Date.now();
	const survivors = executions.filter((execution) => !killedIds.includes(execution.id));

	let killToFailedMs = 0;
	await checks.check(
		`${name}: the other worker’s executions succeed, n8n marks the killed ones failed`,
		async () => {
			const failedAt = new Map<string, number>();
			const done = await executionsOf(
				ctx,
				options.workflowId,
				(all) => {
					for (const execution of all) {
						if (
							killedIds.includes(execution.id) &&
							isDone(execution) &&
							!failedAt.has(execution.id)
						)
							failedAt.set(execution.id, Date.now());
					}
					return all.every(isDone);
				},
				10 * 60_000,
			);
			const status = new Map(done.map((execution) => [execution.id, execution.status]));
			for (const execution of survivors) {
				assertEqual(status.get(execution.id), 'success', `execution ${execution.id} (survivor)`);
				assertReplied(
					ctx,
					await ctx.records.outputOf(execution.id, WAIT_NODE),
					`execution ${execution.id}`,
				);
			}
			// n8n 2.41.1: the main, waiting on the job, fails it as stalled once its lock lapses
			// ("error"); its queue recovery marks executions with no job left "crashed".
			for (const id of killedIds) {
				assert(
					['error', 'crashed'].includes(status.get(id) ?? ''),
					`execution ${id} (killed): status ${status.get(id)}, not failed`,
				);
			}
			killToFailedMs =
				Math.max(...killedIds.map((id) => failedAt.get(id) ?? Date.now())) - killedAt;
			return `killed ${killedIds.map((id) => `${id}: ${status.get(id)}`).join(', ')}, seen failed ${seconds(killToFailedMs)} after the kill`;
		},
	);

	await checks.check(`${name}: the restarted worker runs nothing again`, async () => {
		const index = cluster.workers.indexOf(victim!);
		const restarted = await cluster.startWorker(index);
		const executionsNow = await ctx.records.ofWorkflow(options.workflowId);
		assertEqual(executionsNow.length, EXECUTIONS, 'executions of the workflow');
		assertEqual(restarted.started.length, 0, 'executions the restarted worker started');
	});

	const lostUrls = killedIds.flatMap((id) => replyUrls.get(id) ?? []);
	const before = ctx.emulator.requests.length;
	const resumeStart = Date.now();
	let resumeMs = 0;
	await checks.check(
		`${name}: each lost wait resumed with Wait for Reply from its saved reply URL gets its reply`,
		async () => {
			const response = await httpRequest('POST', cluster.webhookUrl(options.resumeWebhookPath), {
				body: { waits: lostUrls.map((url) => ({ reply_url: url })) },
				timeoutMs: 6 * 60_000,
			});
			resumeMs = Date.now() - resumeStart;
			assertEqual(response.status, 200, `resume webhook answer (${response.text.slice(0, 300)})`);
			const items = response.body as Item[];
			assertEqual(items.length, lostUrls.length, 'items resumed');
			assertReplied(ctx, items, 'resumed waits');
			return `${items.length} lost waits replied in ${seconds(resumeMs)}`;
		},
	);

	const use = keyUse(ctx.emulator.requests, options.apiKey);
	await checks.check(`${name}: no item created a second session`, () => {
		assertEqual(use.sessionsCreated, WAITS, 'sessions created with the key');
	});
	const resumeRequests = keyUse(ctx.emulator.requests.slice(before), options.apiKey).requests;
	console.log(
		`REPORT ${name}: ${lostUrls.length} waits lost with ${victim.name}; failed ${seconds(killToFailedMs)} after the kill; ` +
			`resumed in ${seconds(resumeMs)} with ${resumeRequests} requests; ${use.rateLimited} × 429 of ${use.requests}`,
	);
	return {
		killed: victim.name,
		lostItems: lostUrls.length,
		killToFailedMs,
		resumeMs,
		resumeRequests,
	};
}
