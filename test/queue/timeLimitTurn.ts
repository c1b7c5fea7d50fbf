/**
 * The long-task loop under a time limit in queue mode: examples/long-task.workflow.json as the
 * in-node loop the single-instance suite runs in test/e2e/scenarios/timeLimitLoop.ts (Timeout
 * Workflow 65 s, Max Wait 5 s, the Wait node at 66 s), run by the workers. The agent holds its
 * reply until the execution has parked twice. Round 2 resumes past the limit counted from the
 * first start (5 s + 66 s > 65 s); queue mode gives each resumed run the limit afresh
 * (host/executionLimit.ts), so round 2 polls its whole Max Wait, and round 3 takes the reply.
 * The Wait must park each time: with it at 65 s, n8n once kept round 2's Wait in the worker and
 * cancelled the run at its own 65 s limit (PARKING_WAIT_SECONDS says why).
 */
import { assert, assertEqual } from '../e2e/checks';
import {
	IN_NODE_WAIT,
	LONG_TURN_REPLY,
	longTaskUnderTimeLimit,
	PARKING_WAIT_SECONDS,
	TIME_LIMIT_LOOP,
} from '../e2e/scenarios/exampleLongTask';
import type { WorkflowJson } from '../real-n8n/workflowFiles';
import {
	adaptedExample,
	EXAMPLE,
	parkedOrDone,
	REPLIED,
	startsOf,
	STILL_WORKING,
	watchExecution,
	webhookPathOf,
} from './longTurn';
import type { Item } from './records';
import { keyUse, postWhenRegistered, seconds, type ScenarioContext } from './scenarios';
import type { CredentialRef } from './workflows';

/** The in-node loop under Timeout Workflow, as workflow `id` at its own webhook, on `credential`. */
export function timeLimitTurnWorkflow(credential: CredentialRef, id: string): WorkflowJson {
	return adaptedExample(credential, (example) =>
		longTaskUnderTimeLimit(example, id, 'blocks-queue-long-task-time-limit'),
	);
}

export interface TimeLimitTurnResult {
	executionId: string;
	/** When round 2 started, from the execution's first node start, ms. */
	round2StartMs: number;
	/** waited_ms of each round that ended on Still Working. */
	waitedMs: number[];
	wallMs: number;
	workers: string[];
}

/** The round's one item on Still Working, having polled its whole Max Wait. */
function stillWorkingAfter(round: Item[][] | undefined, n: number): Item {
	assertEqual(round?.[REPLIED]?.length ?? 0, 0, `items on Replied after round ${n}`);
	const [item] = round?.[STILL_WORKING] ?? [];
	assert(item, `no item on Still Working after round ${n}`);
	assertEqual(item.status, 'timed_out', `status after round ${n}`);
	assertEqual(item.rounds, n, `rounds after round ${n}`);
	const waited = Number(item.waited_ms);
	assert(
		waited >= TIME_LIMIT_LOOP.maxWaitSeconds * 1000 - 100,
		`round ${n} waited_ms ${waited}, not its whole Max Wait`,
	);
	return item;
}

export async function timeLimitTurn(
	ctx: ScenarioContext,
	options: { workflow: WorkflowJson; apiKey: string },
): Promise<TimeLimitTurnResult | undefined> {
	const { checks, cluster, records, emulator } = ctx;
	const { timeoutSeconds, maxWaitSeconds } = TIME_LIMIT_LOOP;
	const name = `time-limit turn (${EXAMPLE} as an in-node loop: Timeout Workflow ${timeoutSeconds} s, Max Wait ${maxWaitSeconds} s, Wait node ${PARKING_WAIT_SECONDS} s)`;
	const workflowId = options.workflow.id!;
	const startedAt = Date.now();
	const { execute, seen } = watchExecution(records, workflowId, startedAt);
	let executionId = '';
	let threadId = '';
	const waitedMs: number[] = [];

	const parked = await checks.check(
		`${name}: round 1 polls its Max Wait, ends on Still Working, and the execution is parked as "waiting"`,
		async () => {
			const { response } = await postWhenRegistered(cluster, webhookPathOf(options.workflow), {});
			assertEqual(response.status, 200, 'webhook answer');
			const e = await execute(parkedOrDone, 90_000);
			executionId = e.id;
			assertEqual(e.status, 'waiting', `execution status (statuses seen: ${seen.join(', ')})`);
			const runs = await records.runsOf(executionId, IN_NODE_WAIT);
			assertEqual(runs.length, 1, `runs of ${IN_NODE_WAIT}`);
			const item = stillWorkingAfter(runs[0], 1);
			waitedMs.push(Number(item.waited_ms));
			threadId = String(item.thread_id);
			assertEqual(emulator.threadState(threadId).status, 'running', 'the agent’s turn');
			return `execution ${executionId}, round 1 waited ${waitedMs[0]} ms; waits till ${e.waitTill}`;
		},
	);
	if (!parked) return undefined;

	let round2StartMs = 0;
	const parkedAgain = await checks.check(
		`${name}: round 2, resumed past the limit counted from the first start, polls its whole Max Wait and parks again`,
		async () => {
			const roundsRun = async () => (await records.runsOf(executionId, IN_NODE_WAIT)).length;
			const e = await execute(
				async (x) => parkedOrDone(x) && (x.status !== 'waiting' || (await roundsRun()) >= 2),
				PARKING_WAIT_SECONDS * 1000 + 90_000,
			);
			assertEqual(e.status, 'waiting', `execution status (statuses seen: ${seen.join(', ')})`);
			const runs = await records.runsOf(executionId, IN_NODE_WAIT);
			assertEqual(runs.length, 2, `runs of ${IN_NODE_WAIT}`);
			const item = stillWorkingAfter(runs[1], 2);
			waitedMs.push(Number(item.waited_ms));
			const times = await records.runTimes(executionId);
			const firstStart = Math.min(
				...Object.values(times)
					.flat()
					.map((run) => Number(run.startTime))
					.filter((at) => at > 0),
			);
			round2StartMs = Number(times[IN_NODE_WAIT]?.[1]?.startTime) - firstStart;
			assert(
				round2StartMs > timeoutSeconds * 1000,
				`round 2 started ${round2StartMs} ms after the first start, not past the ${timeoutSeconds} s limit`,
			);
			emulator.finishTurn(threadId, LONG_TURN_REPLY);
			return `round 2 started ${seconds(round2StartMs)} after the first start and waited ${waitedMs[1]} ms; the agent replies now`;
		},
	);
	if (!parkedAgain) return undefined;

	let result: TimeLimitTurnResult | undefined;
	await checks.check(`${name}: round 3 has the reply on Replied, one session`, async () => {
		const done = await execute(
			(e) => e.status !== 'waiting' && e.status !== 'running',
			PARKING_WAIT_SECONDS * 1000 + 90_000,
		);
		assertEqual(done.status, 'success', `execution status (statuses seen: ${seen.join(', ')})`);
		const runs = await records.runsOf(executionId, IN_NODE_WAIT);
		assertEqual(runs.length, 3, `runs of ${IN_NODE_WAIT}`);
		assertEqual(runs[2][STILL_WORKING]?.length ?? 0, 0, 'items on Still Working, round 3');
		const [replied] = runs[2][REPLIED] ?? [];
		assert(replied, 'no item on Replied after round 3');
		assertEqual(replied.status, 'replied', 'status');
		assertEqual(replied.reply, LONG_TURN_REPLY, 'reply');
		assertEqual(replied.thread_id, threadId, 'thread_id');
		assertEqual(replied.rounds, 3, 'rounds');
		const use = keyUse(emulator.requests, options.apiKey);
		assertEqual(use.sessionsCreated, 1, 'sessions created with the key (emulator log)');
		const workers = startsOf(cluster.workers, executionId);
		result = {
			executionId,
			round2StartMs,
			waitedMs,
			wallMs: Date.parse(done.stoppedAt ?? '') - startedAt,
			workers,
		};
		return (
			`rounds waited ${waitedMs.join(', ')} ms, then the reply; ${use.requests} requests, 1 session; ` +
			`run by ${workers.join(', ')}; ${seconds(result.wallMs)} from webhook to the end`
		);
	});
	return result;
}
