/**
 * Long turns in queue mode: examples/long-task.workflow.json, adapted as the single-instance
 * suite adapts it (test/e2e/scenarios/exampleLongTask.ts: a Webhook start, a 2 s quick wait,
 * the Wait node at 66 s, the least that always parks), run by the workers. The agent holds its
 * reply until the execution has parked three times in PostgreSQL; each time the main's wait
 * tracker puts it back in the queue and a worker runs one check-once round. n8n's records of the
 * node runs say how long it held a worker's slot.
 */
import * as path from 'path';
import { assert, assertEqual } from '../e2e/checks';
import {
	CHECK,
	checkParkedRounds,
	checkSlotUse,
	LONG_TURN_REPLY,
	longTaskFromWebhook,
	PARK,
	PARKING_WAIT_SECONDS,
	PARKS,
	QUICK_WAIT,
	SLOT_SHARE_TARGET,
} from '../e2e/scenarios/exampleLongTask';
import { describeSlotUse, type SlotUse } from '../e2e/slotTime';
import { pollUntil } from '../support/pollUntil';
import {
	readWorkflow,
	repoRoot,
	withCredential,
	type WorkflowJson,
} from '../real-n8n/workflowFiles';
import type { Worker } from './cluster';
import type { ExecutionRecord, ExecutionRecords } from './records';
import { keyUse, postWhenRegistered, seconds, type ScenarioContext } from './scenarios';
import type { CredentialRef } from './workflows';

export const EXAMPLE = 'long-task.workflow.json';
export const REPLIED = 0;
export const STILL_WORKING = 1;

/** The example as `adapt` makes it, its Blocks nodes on `credential`. */
export function adaptedExample(
	credential: CredentialRef,
	adapt: (example: WorkflowJson) => WorkflowJson,
): WorkflowJson {
	const example = readWorkflow(path.join(repoRoot(), 'examples', EXAMPLE));
	return withCredential(adapt(example), credential);
}

/** The example as the single-instance suite runs it, its Blocks nodes on `credential`. */
export function longTurnWorkflow(credential: CredentialRef): WorkflowJson {
	return adaptedExample(credential, longTaskFromWebhook);
}

export interface LongTurnResult {
	executionId: string;
	wallMs: number;
	rounds: number;
	workers: string[];
	slot: SlotUse;
	requests: number;
	/** From the agent's reply being ready to the round that took it starting. */
	replyDelayMs: number;
	/** Each worker job's length, from the workers' logs, in seconds. */
	jobSeconds: number[];
}

export function webhookPathOf(workflow: WorkflowJson): string {
	const hook = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook');
	assert(hook, `${EXAMPLE} as adapted has no Webhook node`);
	return String(hook.parameters?.path);
}

/** The workers that logged starting this execution, one entry per start (in worker order). */
export function startsOf(workers: Worker[], executionId: string): string[] {
	return workers.flatMap((worker) =>
		worker.started.filter((id) => id === executionId).map(() => worker.name),
	);
}

/**
 * The seconds each of the execution's jobs held a worker slot, from the workers' own log lines
 * (started to finished): n8n's bookkeeping around the node runs included.
 */
function jobSeconds(workers: Worker[], executionId: string): number[] {
	return workers.flatMap((worker) => {
		const mine = worker.jobLog.filter((entry) => entry.executionId === executionId);
		return mine.flatMap((entry, n) => {
			const end = entry.event === 'started' ? mine[n + 1] : undefined;
			return end?.event === 'finished' ? [(end.at - entry.at) / 1000] : [];
		});
	});
}

function count(ids: string[], id: string): number {
	return ids.filter((each) => each === id).length;
}

/** Resolves once the workers have logged finishing `times` jobs of the execution. */
async function jobsFinished(workers: Worker[], executionId: string, times: number): Promise<void> {
	await pollUntil(
		async () =>
			workers.reduce((n, w) => n + count(w.finished, executionId), 0) >= times || undefined,
		{
			description: `the workers to log finishing execution ${executionId} ${times} times`,
			timeoutMs: 30_000,
			intervalMs: 250,
		},
	);
}

/**
 * Reads n8n's record of the workflow's one execution until `until` holds; `seen` lists each status
 * it was seen in, with when (s after `startedAt`): what a failure shows.
 */
export function watchExecution(records: ExecutionRecords, workflowId: string, startedAt: number) {
	const seen: string[] = [];
	const execute = async (
		until: (e: ExecutionRecord) => Promise<boolean> | boolean,
		timeoutMs: number,
	) =>
		await pollUntil(
			async () => {
				const [found] = await records.ofWorkflow(workflowId);
				const status = `${found?.status} at ${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
				if (found && !seen[seen.length - 1]?.startsWith(found.status)) seen.push(status);
				return found && (await until(found)) ? found : undefined;
			},
			{
				description: `the execution of ${workflowId}`,
				errorsMeanNotYet: true,
				timeoutMs,
				intervalMs: 500,
			},
		);
	return { execute, seen };
}

export const parkedOrDone = (e: ExecutionRecord) => e.status !== 'new' && e.status !== 'running';

export async function longTurn(
	ctx: ScenarioContext,
	options: { workflow: WorkflowJson; apiKey: string },
): Promise<LongTurnResult | undefined> {
	const { checks, cluster, records, emulator } = ctx;
	const name = `long turn (${EXAMPLE}: quick wait 2 s, Wait node ${PARKING_WAIT_SECONDS} s)`;
	const workflowId = options.workflow.id!;
	const startedAt = Date.now();
	let execution: ExecutionRecord | undefined;
	let threadId = '';
	let replyUrl = '';

	const { execute, seen } = watchExecution(records, workflowId, startedAt);

	const parked = await checks.check(
		`${name}: the quick wait ends on Still Working and the execution is parked in PostgreSQL as "waiting", the worker's job done`,
		async () => {
			const { response } = await postWhenRegistered(cluster, webhookPathOf(options.workflow), {});
			assertEqual(response.status, 200, 'webhook answer');
			execution = await execute(parkedOrDone, 90_000);
			assertEqual(execution.status, 'waiting', 'execution status');
			assert(
				execution.waitTill && Date.parse(execution.waitTill) > Date.now(),
				`waitTill ${execution.waitTill}`,
			);
			assertEqual(await records.lastNodeExecuted(execution.id), PARK, 'last node executed');
			const [quick] = await records.runsOf(execution.id, QUICK_WAIT);
			assertEqual(quick?.[REPLIED]?.length ?? 0, 0, 'items on Replied after the quick wait');
			const [stillWorking] = quick?.[STILL_WORKING] ?? [];
			assert(stillWorking, 'no item on Still Working after the quick wait');
			assertEqual(stillWorking.rounds, 1, 'rounds');
			threadId = String(stillWorking.thread_id);
			replyUrl = String(stillWorking.reply_url);
			assertEqual(emulator.threadState(threadId).status, 'running', 'the agent’s turn');
			const starts = startsOf(cluster.workers, execution.id);
			await jobsFinished(cluster.workers, execution.id, starts.length);
			return `execution ${execution.id} on ${starts.join(', ')}, waits till ${execution.waitTill}`;
		},
	);
	if (!parked || !execution) return undefined;
	const executionId = execution.id;

	let readyAt = 0;
	const parkedThrice = await checks.check(
		`${name}: parks ${PARKS} times while the agent works, each resume a worker's job of one check-once round`,
		async () => {
			const checksRun = async () => (await records.runsOf(executionId, CHECK)).length;
			const e = await execute(
				async (x) =>
					parkedOrDone(x) && (x.status !== 'waiting' || (await checksRun()) >= PARKS - 1),
				(PARKS - 1) * (PARKING_WAIT_SECONDS * 1000 + 60_000),
			);
			assertEqual(e.status, 'waiting', 'execution status');
			const rounds = await records.runsOf(executionId, CHECK);
			assertEqual(rounds.length, PARKS - 1, `runs of ${CHECK} (missed a park?)`);
			checkParkedRounds(
				rounds.map((r) => r[STILL_WORKING]?.[0]),
				replyUrl,
			);
			assertEqual(emulator.threadState(threadId).status, 'running', 'the agent’s turn');
			const starts = startsOf(cluster.workers, executionId);
			assertEqual(
				starts.length,
				PARKS,
				`starts of execution ${executionId} (${starts.join(', ')})`,
			);
			await jobsFinished(cluster.workers, executionId, PARKS);
			emulator.finishTurn(threadId, LONG_TURN_REPLY);
			readyAt = Date.now();
			return `parked ${PARKS} times, run by ${starts.join(', ')}; the agent replies now`;
		},
	);
	if (!parkedThrice) return undefined;

	let result: LongTurnResult | undefined;
	await checks.check(
		`${name}: a worker resumes it within one park and it ends with the reply on Replied, one session, the slot held at most ${SLOT_SHARE_TARGET * 100} % of the turn`,
		async () => {
			const done = await execute(
				(e) => e.status !== 'waiting' && e.status !== 'running',
				(PARKING_WAIT_SECONDS + 120) * 1000,
			);
			assertEqual(done.status, 'success', 'execution status');
			const starts = startsOf(cluster.workers, executionId);
			assertEqual(
				starts.length,
				PARKS + 1,
				`starts of execution ${executionId} (${starts.join(', ')})`,
			);
			await jobsFinished(cluster.workers, executionId, PARKS + 1);
			const rounds = await records.runsOf(executionId, CHECK);
			assertEqual(rounds.length, PARKS, `runs of ${CHECK}`);
			const [replied] = rounds[PARKS - 1][REPLIED] ?? [];
			assert(replied, `no item on Replied after check ${PARKS}`);
			assertEqual(
				rounds[PARKS - 1][STILL_WORKING]?.length ?? 0,
				0,
				`items on Still Working, check ${PARKS}`,
			);
			assertEqual(replied.status, 'replied', 'status');
			assertEqual(replied.reply, LONG_TURN_REPLY, 'reply');
			assertEqual(replied.thread_id, threadId, 'thread_id');
			assertEqual(replied.rounds, PARKS + 1, 'rounds');
			const use = keyUse(emulator.requests, options.apiKey);
			assertEqual(use.sessionsCreated, 1, 'sessions created with the key (emulator log)');
			const runTimes = await records.runTimes(executionId);
			const [lastCheck] = (runTimes[CHECK] ?? []).slice(-1);
			const replyDelayMs = Number(lastCheck?.startTime) - readyAt;
			assert(
				replyDelayMs <= (PARKING_WAIT_SECONDS + 15) * 1000,
				`the reply reached the workflow ${replyDelayMs} ms after it was ready`,
			);
			const slot = checkSlotUse(runTimes);
			result = {
				executionId,
				wallMs: Date.parse(done.stoppedAt ?? '') - startedAt,
				rounds: Number(replied.rounds),
				workers: starts,
				slot,
				requests: use.requests,
				replyDelayMs,
				jobSeconds: jobSeconds(cluster.workers, executionId),
			};
			return (
				`REPORT slot ${describeSlotUse(slot)}; worker jobs (log lines) ` +
				`${result.jobSeconds.map((x) => x.toFixed(2)).join(', ')} s; ${use.requests} requests, 1 session; ` +
				`the reply reached the workflow ${seconds(replyDelayMs)} after it was ready; ` +
				`run by ${starts.join(', ')}; ${seconds(result.wallMs)} from webhook to the end ` +
				`(statuses seen: ${seen.join(', ')})`
			);
		},
	);
	return result;
}
