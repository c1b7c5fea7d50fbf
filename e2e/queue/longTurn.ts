/**
 * Long turns in queue mode: examples/long-task.workflow.json under a time limit, as the
 * single-instance suite adapts it (e2e/scenarios/exampleLongTask.ts: a Webhook start, Timeout
 * Workflow 65 s, Max Wait 5 s, the Wait node at 65 s, the least n8n parks), run by the workers.
 * The agent holds its reply until the execution has parked twice in PostgreSQL; the main's wait
 * tracker puts it back in the queue each time, and a worker picks the reply up in round 3.
 * Round 2 resumes past the limit counted from the start: queue mode gives each resumed run the
 * limit afresh, and round 2 polls its whole Max Wait (host/executionLimit.ts).
 */
import * as path from 'path';
import { assert, assertEqual } from '../checks';
import { longTaskUnderTimeLimit, TIME_LIMIT_LOOP } from '../scenarios/exampleLongTask';
import { pollUntil } from '../../tooling/pollUntil';
import {
	readWorkflow,
	repoRoot,
	withCredential,
	type WorkflowJson,
} from '../../tooling/workflowFiles';
import type { Worker } from './cluster';
import type { ExecutionRecord, NodeRunOutputs } from './records';
import { keyUse, postWhenRegistered, seconds, type ScenarioContext } from './scenarios';
import type { CredentialRef } from './workflows';

const EXAMPLE = 'long-task.workflow.json';
const WAIT_FOR_REPLY = 'Wait for Reply';
const PAUSE = 'Pause 2 Minutes';
const REPLIED = 0;
const STILL_WORKING = 1;
const LONG_TURN_REPLY = 'The test framework is upgraded and every test passes.';

/** The example as the single-instance suite runs it, its Blocks nodes on `credential`. */
export function longTurnWorkflow(credential: CredentialRef): WorkflowJson {
	const example = readWorkflow(path.join(repoRoot(), 'examples', EXAMPLE));
	const underLimit = longTaskUnderTimeLimit(example, String(example.id), 'blocks-e2e-long-task');
	return withCredential(underLimit, credential);
}

export interface LongTurnResult {
	executionId: string;
	parkedMs: number;
	wallMs: number;
	rounds: number;
	workers: string[];
}

function webhookPathOf(workflow: WorkflowJson): string {
	const hook = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook');
	assert(hook, `${EXAMPLE} as adapted has no Webhook node`);
	return String(hook.parameters?.path);
}

/** The workers that logged starting this execution, one entry per start (in worker order). */
function startsOf(workers: Worker[], executionId: string): string[] {
	return workers.flatMap((worker) =>
		worker.started.filter((id) => id === executionId).map(() => worker.name),
	);
}

function count(ids: string[], id: string): number {
	return ids.filter((each) => each === id).length;
}

/** Resolves once `worker` has logged finishing its job of the execution `times` times. */
async function finishedOn(worker: Worker, executionId: string, times: number): Promise<void> {
	await pollUntil(
		async () =>
			worker.finished.filter((id) => id === executionId).length >= times ? true : undefined,
		{
			description: `${worker.name} to log finishing execution ${executionId}`,
			timeoutMs: 30_000,
			intervalMs: 250,
		},
	);
}

export async function longTurn(
	ctx: ScenarioContext,
	options: { workflow: WorkflowJson; apiKey: string },
): Promise<LongTurnResult | undefined> {
	const { checks, cluster, records, emulator } = ctx;
	const { timeoutSeconds, maxWaitSeconds } = TIME_LIMIT_LOOP;
	const name = `long turn (${EXAMPLE}: Timeout Workflow ${timeoutSeconds} s, Max Wait ${maxWaitSeconds} s, Wait node 65 s)`;
	const workflowId = options.workflow.id!;
	const startedAt = Date.now();
	let execution: ExecutionRecord | undefined;
	let threadId = '';
	let parkedRounds = 0;
	let startsWhenParked = new Map<string, number>();
	let parkedAt = 0;

	// Each status the execution was seen in, with when (s after the start): what a failure shows.
	const seen: string[] = [];
	const execute = async (until: (e: ExecutionRecord) => boolean, timeoutMs: number) =>
		await pollUntil(
			async () => {
				const [found] = await records.ofWorkflow(workflowId);
				const status = `${found?.status} at ${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
				if (found && !seen[seen.length - 1]?.startsWith(found.status)) seen.push(status);
				return found && until(found) ? found : undefined;
			},
			{
				description: `the execution of ${workflowId}`,
				errorsMeanNotYet: true,
				timeoutMs,
				intervalMs: 500,
			},
		);

	const parked = await checks.check(
		`${name}: a round ends on Still Working and the execution is parked in PostgreSQL as "waiting"`,
		async () => {
			const { response } = await postWhenRegistered(cluster, webhookPathOf(options.workflow), {});
			assertEqual(response.status, 200, 'webhook answer');
			// Round 1 takes its Max Wait (5 s); a Wait node then parks it at once, or never.
			execution = await execute((e) => e.status !== 'new' && e.status !== 'running', 90_000).catch(
				async (error: unknown) => {
					const [now] = await records.ofWorkflow(workflowId);
					throw new Error(
						`execution ${now?.id} still "${now?.status}" 90 s after the webhook: not parked (${String(error)})`,
					);
				},
			);
			parkedAt = Date.now();
			assertEqual(execution.status, 'waiting', 'execution status');
			assert(
				execution.waitTill && Date.parse(execution.waitTill) > Date.now(),
				`waitTill ${execution.waitTill}`,
			);
			assertEqual(await records.lastNodeExecuted(execution.id), PAUSE, 'last node executed');
			// Round 1, unless this machine was too slow to see the first park in its 65 s: then a
			// later one, with the agent's turn still running all along (the statuses say which).
			const runs = await records.runsOf(execution.id, WAIT_FOR_REPLY);
			parkedRounds = runs.length;
			const last = runs[parkedRounds - 1];
			assertEqual(last[REPLIED]?.length ?? 0, 0, `items on Replied after round ${parkedRounds}`);
			const [stillWorking] = last[STILL_WORKING] ?? [];
			assert(stillWorking, `no item on Still Working after round ${parkedRounds}`);
			assertEqual(stillWorking.status, 'timed_out', 'Still Working item status');
			assertEqual(stillWorking.rounds, parkedRounds, `rounds after round ${parkedRounds}`);
			threadId = String(stillWorking.thread_id);
			assertEqual(emulator.threadState(threadId).status, 'running', 'the agent’s turn');
			const waited = Number(stillWorking.waited_ms);
			assert(waited >= maxWaitSeconds * 1000 - 100, `round ${parkedRounds} waited_ms ${waited}`);
			// Each round was a job of a worker, and the last one's job is done: no slot is held
			// while the execution is parked.
			const starts = startsOf(cluster.workers, execution.id);
			assertEqual(
				starts.length,
				parkedRounds,
				`starts of execution ${execution.id} (${starts.join(', ')})`,
			);
			startsWhenParked = new Map(
				cluster.workers.map((w) => [w.name, count(w.started, execution!.id)]),
			);
			await pollUntil(
				async () =>
					cluster.workers.reduce((n, w) => n + count(w.finished, execution!.id), 0) ===
						parkedRounds || undefined,
				{
					description: `the workers to log finishing execution ${execution.id}`,
					timeoutMs: 30_000,
					intervalMs: 250,
				},
			);
			return (
				`execution ${execution.id}, round ${parkedRounds} on ${[...new Set(starts)].join(' and ')}, its job done; ` +
				`waits till ${execution.waitTill} (statuses seen: ${seen.join(', ')})`
			);
		},
	);
	if (!parked || !execution) return undefined;
	const executionId = execution.id;
	const firstWaitTill = Date.parse(String(execution.waitTill));

	const parkedAgain = await checks.check(
		`${name}: resumed past the limit counted from the start, the next round polls its whole Max Wait and parks again`,
		async () => {
			const again = await execute(
				(e) =>
					(e.status === 'waiting' && Date.parse(String(e.waitTill)) > firstWaitTill + 30_000) ||
					(e.status !== 'waiting' && e.status !== 'running' && e.status !== 'new'),
				150_000,
			);
			assertEqual(again.status, 'waiting', `execution status (statuses seen: ${seen.join(', ')})`);
			const runs = await records.runsOf(executionId, WAIT_FOR_REPLY);
			assertEqual(runs.length, parkedRounds + 1, 'runs of Wait for Reply');
			parkedRounds = runs.length;
			const [stillWorking] = runs[parkedRounds - 1][STILL_WORKING] ?? [];
			assert(stillWorking, `no item on Still Working after round ${parkedRounds}`);
			const waited = Number(stillWorking.waited_ms);
			assert(waited >= maxWaitSeconds * 1000 - 100, `round ${parkedRounds} waited_ms ${waited}`);
			startsWhenParked = new Map(
				cluster.workers.map((w) => [w.name, count(w.started, executionId)]),
			);
			await pollUntil(
				async () =>
					cluster.workers.reduce((n, w) => n + count(w.finished, executionId), 0) ===
						parkedRounds || undefined,
				{
					description: `the workers to log finishing execution ${executionId}`,
					timeoutMs: 30_000,
					intervalMs: 250,
				},
			);
			const sinceStart = ((Date.now() - startedAt) / 1000).toFixed(0);
			return `round ${parkedRounds} waited ${waited} ms; parked again ${sinceStart} s after the webhook, past the ${timeoutSeconds} s limit`;
		},
	);
	if (!parkedAgain) return undefined;
	// The reply is there as soon as the execution is parked again: the last round finds it at its
	// first look.
	emulator.finishTurn(threadId, LONG_TURN_REPLY);

	let result: LongTurnResult | undefined;
	await checks.check(
		`${name}: a worker resumes it after the Wait node and it ends with the reply, one session created`,
		async () => {
			const done = await execute((e) => e.status !== 'waiting' && e.status !== 'running', 180_000);
			assertEqual(done.status, 'success', 'execution status');
			const finalRound = parkedRounds + 1;
			const starts = startsOf(cluster.workers, executionId);
			assertEqual(
				starts.length,
				finalRound,
				`starts of execution ${executionId} (${starts.join(', ')})`,
			);
			// The worker that started it once more since it was parked.
			const resumedOn = cluster.workers.find(
				(w) => count(w.started, executionId) > (startsWhenParked.get(w.name) ?? 0),
			);
			assert(resumedOn, 'no worker logged resuming it');
			await finishedOn(resumedOn, executionId, count(resumedOn.started, executionId));
			const rounds: NodeRunOutputs[] = await records.runsOf(executionId, WAIT_FOR_REPLY);
			assertEqual(rounds.length, finalRound, 'runs of Wait for Reply');
			const [replied] = rounds[finalRound - 1][REPLIED] ?? [];
			assert(replied, `no item on Replied after round ${finalRound}`);
			assertEqual(
				rounds[finalRound - 1][STILL_WORKING]?.length ?? 0,
				0,
				`items on Still Working, round ${finalRound}`,
			);
			assertEqual(replied.status, 'replied', 'status');
			assertEqual(replied.reply, LONG_TURN_REPLY, 'reply');
			assertEqual(replied.thread_id, threadId, 'thread_id');
			assertEqual(replied.rounds, finalRound, 'rounds');
			const use = keyUse(emulator.requests, options.apiKey);
			assertEqual(use.sessionsCreated, 1, 'sessions created with the key (emulator log)');
			result = {
				executionId,
				parkedMs: Date.parse(done.stoppedAt ?? '') - parkedAt,
				wallMs: Date.parse(done.stoppedAt ?? '') - startedAt,
				rounds: Number(replied.rounds),
				workers: starts,
			};
			return (
				`rounds ${String(replied.rounds)}: resumed and finished on ${resumedOn.name}; ` +
				`${use.requests} requests, 1 session; ${seconds(result.wallMs)} from webhook to the end`
			);
		},
	);
	return result;
}
