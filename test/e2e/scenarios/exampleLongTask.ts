/**
 * examples/long-task.workflow.json in `n8n start`: a quick wait in the node, then check-once
 * rounds with the execution parked in n8n's database between them. Adapted for the test: a
 * Webhook trigger instead of the manual one, a 2 s quick wait, the Wait node at
 * PARKING_WAIT_SECONDS (the least that always parks), and an agent that replies only when the
 * test says so: once the execution has parked three times. n8n's records then say how long the
 * execution held a slot.
 */
import { assert, assertEqual } from '../checks';
import {
	ServerScenario,
	executionWhen,
	nodeRuns,
	outputOf,
	sessionCreates,
	startThroughWebhook,
	webhookNode,
} from '../serverScenario';
import { describeSlotUse, slotUse, type SlotUse, type TimedNodeRun } from '../slotTime';
import { REPLY_WHEN_TOLD } from '../testAgent';
import { nodeNamed, type WorkflowJson } from '../../real-n8n/workflowFiles';

const MANUAL_TRIGGER = 'When clicking ‘Execute workflow’';
const TRIGGER = 'Start by Webhook';
export const QUICK_WAIT = 'Wait for a Quick Reply';
export const PARK = 'Park 2 Minutes';
export const CHECK = 'Check for the Reply';
const USE_REPLY = 'Use the Reply';
/**
 * The least whole seconds at which n8n's Wait node always parks the execution in its database.
 * Not 65: n8n-nodes-base's dist/nodes/Wait/Wait.node.js (lines 493-518 in n8n 2.41.1, 473-495
 * in 1.123.81) sets `waitTill = new Date(new Date().getTime() + waitAmount)`, then reads the clock
 * again, `waitValue = Math.max(waitTill.getTime() - new Date().getTime(), 0)`, and
 * `if (waitValue < 65000)` waits in the process (the execution running, its slot held) instead of
 * calling putExecutionToWait. At exactly 65 s, one millisecond tick between the two reads keeps
 * the execution running: seen once in the queue suite, whose resumed round then ran into its own
 * 65 s Timeout Workflow and was cancelled. Called directly 200,000 times in a row with a stub
 * context, the node stayed in process 152 times at 65 s on 2.41.1 and 33 times on 1.123.81, and
 * never at 66 s. The two reads sit in one synchronous stretch of code, so at 66 s only a
 * second-long stall between them could keep it running.
 */
export const PARKING_WAIT_SECONDS = 66;
const QUICK_WAIT_SECONDS = 2;
/** The agent replies once the execution has parked this many times. */
export const PARKS = 3;
/** The most of the turn the execution may hold a slot (the target for an hour-long turn). */
export const SLOT_SHARE_TARGET = 0.05;
/** How late n8n may resume a parked execution, past its Wait, on a busy machine. */
const RESUME_GRACE_MS = 15_000;
export const LONG_TURN_REPLY = 'The test framework is upgraded and every test passes.';

/** The example started by a Webhook, with short waits (the queue suite runs it the same way). */
export function longTaskFromWebhook(example: WorkflowJson): WorkflowJson {
	const w = structuredClone(example);
	w.nodes = w.nodes.filter((n) => n.name !== MANUAL_TRIGGER);
	w.nodes.push(
		webhookNode(TRIGGER, 'blocks-e2e-long-task', '8d3f4b2a-6c1e-4f5a-9b7d-0e2c4a6b8d10'),
	);
	const connections = w.connections as Record<string, unknown>;
	connections[TRIGGER] = connections[MANUAL_TRIGGER];
	delete connections[MANUAL_TRIGGER];
	const start = nodeNamed(w, 'Start Task').parameters!;
	start.message = `${String(start.message)} ${REPLY_WHEN_TOLD}`;
	Object.assign(nodeNamed(w, QUICK_WAIT).parameters!, {
		maxWaitSeconds: QUICK_WAIT_SECONDS,
		pollIntervalSeconds: 1,
	});
	Object.assign(nodeNamed(w, PARK).parameters!, { amount: PARKING_WAIT_SECONDS, unit: 'seconds' });
	return w;
}

/**
 * The example as a loop of in-node waits (as it was before Check Once): its quick wait is every
 * round's wait, and the Wait node leads back to it. What the time-limit checks run, whose
 * resumed rounds must each wait their Max Wait.
 */
export const IN_NODE_WAIT = 'Wait for Reply';
function inNodeLoop(w: WorkflowJson): WorkflowJson {
	w.nodes = w.nodes.filter((n) => n.name !== CHECK);
	nodeNamed(w, QUICK_WAIT).name = IN_NODE_WAIT;
	const c = w.connections as Record<string, { main: Array<Array<{ node: string }>> }>;
	c[IN_NODE_WAIT] = c[QUICK_WAIT];
	delete c[QUICK_WAIT];
	delete c[CHECK];
	for (const from of Object.values(c))
		for (const out of from.main)
			for (const to of out) if (to.node === QUICK_WAIT || to.node === CHECK) to.node = IN_NODE_WAIT;
	return w;
}

/** The loop under a time limit: see timeLimitLoop.ts and the queue suite's time-limit turn. */
export const TIME_LIMIT_LOOP = { timeoutSeconds: 65, maxWaitSeconds: 5 };

/**
 * The example as workflow `id`, from a Webhook at `path`, with Timeout Workflow and Max Wait of TIME_LIMIT_LOOP:
 * round 1 polls its Max Wait and parks, and the resume comes after the limit counted from the
 * start (5 s + 66 s > 65 s). The Wait must park: a Wait kept in the process would hold the run
 * past the limit and have it cancelled, in either mode.
 */
export function longTaskUnderTimeLimit(
	example: WorkflowJson,
	id: string,
	path: string,
): WorkflowJson {
	const w = inNodeLoop(longTaskFromWebhook(example));
	w.id = id;
	w.name = `${w.name} (Timeout Workflow ${TIME_LIMIT_LOOP.timeoutSeconds} s)`;
	w.settings = {
		...(w.settings as object),
		executionTimeout: TIME_LIMIT_LOOP.timeoutSeconds,
	};
	Object.assign(nodeNamed(w, IN_NODE_WAIT).parameters!, {
		maxWaitSeconds: TIME_LIMIT_LOOP.maxWaitSeconds,
	});
	// A webhook of its own, beside the example's.
	const trigger = nodeNamed(w, TRIGGER);
	trigger.parameters!.path = path;
	trigger.id = trigger.webhookId = '3c1a9e57-5b2d-4e8f-a6c4-7d9e0f1b2a31';
	return w;
}

/**
 * The slot the long turn held, from n8n's records of its node runs: one stretch for the start
 * and one per resume, together at most SLOT_SHARE_TARGET of the turn.
 */
export function checkSlotUse(runData: Record<string, TimedNodeRun[] | undefined>): SlotUse {
	const use = slotUse(runData);
	assertEqual(use.stretchSeconds.length, PARKS + 1, `stretches held (${describeSlotUse(use)})`);
	assert(
		use.share <= SLOT_SHARE_TARGET,
		`held a slot ${describeSlotUse(use)}: over the ${SLOT_SHARE_TARGET * 100} % target`,
	);
	return use;
}

/** The parked rounds' items, each a check-once round on Still Working: one poll, the same turn. */
export function checkParkedRounds(
	rounds: Array<Record<string, unknown> | undefined>,
	replyUrl: string,
) {
	rounds.forEach((item, n) => {
		assert(item, `no item on Still Working after check ${n + 1}`);
		assertEqual(item.status, 'timed_out', `status after check ${n + 1}`);
		assertEqual(item.polls, 1, `polls of check ${n + 1}`);
		assertEqual(item.rounds, n + 2, `rounds after check ${n + 1}`);
		assertEqual(item.reply_url, replyUrl, `reply_url after check ${n + 1}`);
	});
}

const threadPolls = (requests: Array<{ method: string; path: string }>, threadId: string) =>
	requests.filter((r) => r.method === 'GET' && r.path.includes(`/threads/${threadId}/messages`));

export const exampleLongTask: ServerScenario = {
	workflow: { example: 'long-task.workflow.json' },
	adapt: longTaskFromWebhook,

	async run(run) {
		const { check, rest, emulator } = run;
		const name = `example ${run.fileName} (Webhook, quick wait ${QUICK_WAIT_SECONDS} s, Wait ${PARKING_WAIT_SECONDS} s)`;
		let executionId = '';
		let threadId = '';
		let replyUrl = '';
		const parked = await check(
			`${name}: the quick wait ends on Still Working and the execution parks as "waiting"`,
			async () => {
				executionId = (await startThroughWebhook(run)).id;
				const e = await executionWhen(
					rest,
					executionId,
					(x) => x.status !== 'running' && x.status !== 'new',
					{ timeoutMs: 90_000, description: `execution ${executionId} to leave "running"` },
				);
				assertEqual(e.status, 'waiting', 'execution status');
				assert(e.waitTill && Date.parse(e.waitTill) > Date.now(), `waitTill ${e.waitTill}`);
				assertEqual(e.data.resultData.lastNodeExecuted, PARK, 'last node executed');
				const [quick] = nodeRuns(e, QUICK_WAIT);
				assertEqual(outputOf(quick, 0).length, 0, 'items on Replied after the quick wait');
				const [stillWorking] = outputOf(quick, 1);
				assert(stillWorking, 'no item on Still Working after the quick wait');
				assertEqual(stillWorking.json.rounds, 1, 'rounds');
				threadId = String(stillWorking.json.thread_id);
				replyUrl = String(stillWorking.json.reply_url);
				assertEqual(emulator.threadState(threadId).status, 'running', 'thread status');
				return `execution ${executionId} waits till ${e.waitTill}`;
			},
		);
		if (!parked) return;
		let readyAt = 0;
		const parkedThrice = await check(
			`${name}: parks ${PARKS} times while the agent works, each check-once round one poll on Still Working`,
			async () => {
				const e = await executionWhen(
					rest,
					executionId,
					(x) =>
						x.status !== 'running' &&
						x.status !== 'new' &&
						(x.status !== 'waiting' ||
							(x.data.resultData.runData[CHECK]?.length ?? 0) >= PARKS - 1),
					{
						timeoutMs: (PARKS - 1) * (PARKING_WAIT_SECONDS * 1000 + 60_000),
						description: `execution ${executionId} to park ${PARKS} times`,
					},
				);
				assertEqual(e.status, 'waiting', 'execution status');
				const checks = nodeRuns(e, CHECK);
				assertEqual(checks.length, PARKS - 1, `runs of ${CHECK} (missed a park?)`);
				checkParkedRounds(
					checks.map((r) => outputOf(r, 1)[0]?.json),
					replyUrl,
				);
				assertEqual(emulator.threadState(threadId).status, 'running', 'thread status');
				emulator.finishTurn(threadId, LONG_TURN_REPLY);
				readyAt = Date.now();
				return `parked ${PARKS} times; the agent replies now, the execution waiting till ${e.waitTill}`;
			},
		);
		if (!parkedThrice) return;
		await check(
			`${name}: the next check has the reply on Replied within one park; one session; the slot held at most ${SLOT_SHARE_TARGET * 100} % of the turn`,
			async () => {
				const e = await executionWhen(
					rest,
					executionId,
					(x) => x.status !== 'waiting' && x.status !== 'running',
					{ timeoutMs: 180_000, description: `execution ${executionId} to finish` },
				);
				assertEqual(e.status, 'success', 'execution status');
				const checks = nodeRuns(e, CHECK);
				assertEqual(checks.length, PARKS, `runs of ${CHECK}`);
				const last = checks[PARKS - 1];
				const [replied] = outputOf(last, 0);
				assert(replied, `no item on Replied after check ${PARKS}`);
				assertEqual(replied.json.status, 'replied', 'status');
				assertEqual(replied.json.reply, LONG_TURN_REPLY, 'reply');
				assertEqual(replied.json.thread_id, threadId, 'thread_id');
				assertEqual(replied.json.rounds, PARKS + 1, 'rounds');
				const used = outputOf(nodeRuns(e, USE_REPLY)[0], 0);
				assertEqual(used.length, 1, `items into "${USE_REPLY}"`);
				assertEqual(used[0].json.reply, LONG_TURN_REPLY, `reply in "${USE_REPLY}"`);
				assertEqual(sessionCreates(run.requests(), run.apiKey).length, 1, 'sessions created');
				const delayMs = Number(last.startTime) - readyAt;
				assert(
					delayMs <= PARKING_WAIT_SECONDS * 1000 + RESUME_GRACE_MS,
					`the reply reached the workflow ${delayMs} ms after it was ready`,
				);
				const use = checkSlotUse(e.data.resultData.runData);
				const polls = threadPolls(run.requests(), threadId).length;
				return (
					`REPORT slot ${describeSlotUse(use)}; ${polls} polls; ` +
					`the reply reached the workflow ${(delayMs / 1000).toFixed(1)} s after it was ready`
				);
			},
		);
	},
};
