/**
 * Long turns in queue mode: examples/long-task.workflow.json, adapted as the single-instance
 * suite adapts it (e2e/scenarios/exampleLongTask.ts: a Webhook start, Max Wait 5 s, the Wait
 * node at 65 s, the least n8n parks), run by the workers. The agent holds its reply until the
 * execution is parked in PostgreSQL; then the main's wait tracker puts it back in the queue
 * when its time comes, and a worker picks the reply up in round 2.
 */
import * as path from 'path';
import { assert, assertEqual } from '../checks';
import { longTaskFromWebhook } from '../scenarios/exampleLongTask';
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
	return withCredential(longTaskFromWebhook(example), credential);
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

function workerNamed(workers: Worker[], name: string): Worker {
	const worker = workers.find((w) => w.name === name);
	assert(worker, `no worker ${name}`);
	return worker;
}

export async function longTurn(
	ctx: ScenarioContext,
	options: { workflow: WorkflowJson; apiKey: string },
): Promise<LongTurnResult | undefined> {
	const { checks, cluster, records, emulator } = ctx;
	const name = `long turn (${EXAMPLE}: Max Wait 5 s, Wait node 65 s)`;
	const workflowId = options.workflow.id!;
	const startedAt = Date.now();
	let execution: ExecutionRecord | undefined;
	let threadId = '';
	let round1Worker = '';
	let parkedAt = 0;

	const execute = async (until: (e: ExecutionRecord) => boolean, timeoutMs: number) =>
		await pollUntil(
			async () => {
				const [found] = await records.ofWorkflow(workflowId);
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
		`${name}: round 1 ends on Still Working and the execution is parked in PostgreSQL as "waiting"`,
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
			const runs = await records.runsOf(execution.id, WAIT_FOR_REPLY);
			assertEqual(runs.length, 1, 'runs of Wait for Reply');
			const [round1] = runs;
			assertEqual(round1[REPLIED]?.length ?? 0, 0, 'items on Replied after round 1');
			const [stillWorking] = round1[STILL_WORKING] ?? [];
			assert(stillWorking, 'no item on Still Working after round 1');
			assertEqual(stillWorking.status, 'timed_out', 'Still Working item status');
			assertEqual(stillWorking.rounds, 1, 'rounds after round 1');
			threadId = String(stillWorking.thread_id);
			assertEqual(emulator.threadState(threadId).status, 'running', 'the agent’s turn');
			// The worker let go of the execution: no slot is held while it is parked.
			const starts = startsOf(cluster.workers, execution.id);
			assertEqual(starts.length, 1, `starts of execution ${execution.id} (${starts.join(', ')})`);
			round1Worker = starts[0];
			await finishedOn(workerNamed(cluster.workers, round1Worker), execution.id, 1);
			return `execution ${execution.id}, round 1 on ${round1Worker}, its job done; waits till ${execution.waitTill}`;
		},
	);
	if (!parked || !execution) return undefined;
	const executionId = execution.id;
	// The reply is there as soon as the execution is parked: round 2 finds it at its first look.
	emulator.finishTurn(threadId, LONG_TURN_REPLY);

	let result: LongTurnResult | undefined;
	await checks.check(
		`${name}: a worker resumes it after the Wait node and it ends with the reply, one session created`,
		async () => {
			const done = await execute((e) => e.status !== 'waiting' && e.status !== 'running', 180_000);
			assertEqual(done.status, 'success', 'execution status');
			const starts = startsOf(cluster.workers, executionId);
			assertEqual(starts.length, 2, `starts of execution ${executionId} (${starts.join(', ')})`);
			starts.splice(starts.indexOf(round1Worker), 1);
			const [round2Worker] = starts;
			await finishedOn(
				workerNamed(cluster.workers, round2Worker),
				executionId,
				round2Worker === round1Worker ? 2 : 1,
			);
			const rounds: NodeRunOutputs[] = await records.runsOf(executionId, WAIT_FOR_REPLY);
			assertEqual(rounds.length, 2, 'runs of Wait for Reply');
			const [replied] = rounds[1][REPLIED] ?? [];
			assert(replied, 'no item on Replied after round 2');
			assertEqual(rounds[1][STILL_WORKING]?.length ?? 0, 0, 'items on Still Working, round 2');
			assertEqual(replied.status, 'replied', 'status');
			assertEqual(replied.reply, LONG_TURN_REPLY, 'reply');
			assertEqual(replied.thread_id, threadId, 'thread_id');
			assert(Number(replied.rounds) >= 2, `rounds ${String(replied.rounds)}`);
			const use = keyUse(emulator.requests, options.apiKey);
			assertEqual(use.sessionsCreated, 1, 'sessions created with the key (emulator log)');
			result = {
				executionId,
				parkedMs: Date.parse(done.stoppedAt ?? '') - parkedAt,
				wallMs: Date.parse(done.stoppedAt ?? '') - startedAt,
				rounds: Number(replied.rounds),
				workers: [round1Worker, round2Worker],
			};
			return (
				`rounds ${String(replied.rounds)}: round 1 on ${round1Worker}, resumed and finished on ${round2Worker}; ` +
				`${use.requests} requests, 1 session; ${seconds(result.wallMs)} from webhook to the end`
			);
		},
	);
	return result;
}
