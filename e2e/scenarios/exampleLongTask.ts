/**
 * examples/long-task.workflow.json in `n8n start`: its loop parks the execution in n8n's database
 * while the agent works, then picks the reply up. Adapted for the test: a Webhook trigger instead
 * of the manual one, a 5 s Max Wait and the Wait node at 65 s (the least n8n parks), and an agent
 * that replies only when the test says so, which is once the execution is parked.
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
import { REPLY_WHEN_TOLD } from '../testAgent';
import type { WorkflowJson, WorkflowNode } from '../../tooling/workflowFiles';

const MANUAL_TRIGGER = 'When clicking ‘Execute workflow’';
const TRIGGER = 'Start by Webhook';
const WAIT_FOR_REPLY = 'Wait for Reply';
const PAUSE = 'Pause 2 Minutes';
const USE_REPLY = 'Use the Reply';
/** n8n keeps a shorter Wait in memory; from 65 s it parks the execution in its database. */
const PARKING_WAIT_SECONDS = 65;
const REPLY = 'The test framework is upgraded and every test passes.';

function node(workflow: WorkflowJson, name: string): WorkflowNode {
	const found = workflow.nodes.find((n) => n.name === name);
	if (!found) throw new Error(`the example has no node "${name}"`);
	return found;
}

/** The example started by a Webhook, with short waits. */
function longTaskFromWebhook(example: WorkflowJson): WorkflowJson {
	const w = structuredClone(example);
	w.nodes = w.nodes.filter((n) => n.name !== MANUAL_TRIGGER);
	w.nodes.push(
		webhookNode(TRIGGER, 'blocks-e2e-long-task', '8d3f4b2a-6c1e-4f5a-9b7d-0e2c4a6b8d10'),
	);
	const connections = w.connections as Record<string, unknown>;
	connections[TRIGGER] = connections[MANUAL_TRIGGER];
	delete connections[MANUAL_TRIGGER];
	const start = node(w, 'Start Task').parameters!;
	start.message = `${String(start.message)} ${REPLY_WHEN_TOLD}`;
	Object.assign(node(w, WAIT_FOR_REPLY).parameters!, { maxWaitSeconds: 5, pollIntervalSeconds: 1 });
	Object.assign(node(w, PAUSE).parameters!, { amount: PARKING_WAIT_SECONDS, unit: 'seconds' });
	return w;
}

/** The loop under a time limit: see timeLimitLoop.ts and the queue suite's long turn. */
export const TIME_LIMIT_LOOP = { timeoutSeconds: 65, maxWaitSeconds: 5 };

/**
 * The example as workflow `id`, from a Webhook at `path`, with Timeout Workflow and Max Wait of TIME_LIMIT_LOOP:
 * round 1 polls its Max Wait and parks, and the resume comes after the limit counted from the
 * start (5 s + 65 s > 65 s).
 */
export function longTaskUnderTimeLimit(
	example: WorkflowJson,
	id: string,
	path: string,
): WorkflowJson {
	const w = longTaskFromWebhook(example);
	w.id = id;
	w.name = `${w.name} (Timeout Workflow ${TIME_LIMIT_LOOP.timeoutSeconds} s)`;
	w.settings = {
		...(w.settings as object),
		executionTimeout: TIME_LIMIT_LOOP.timeoutSeconds,
	};
	Object.assign(node(w, WAIT_FOR_REPLY).parameters!, {
		maxWaitSeconds: TIME_LIMIT_LOOP.maxWaitSeconds,
	});
	// A webhook of its own, beside the example's.
	const trigger = node(w, TRIGGER);
	trigger.parameters!.path = path;
	trigger.id = trigger.webhookId = '3c1a9e57-5b2d-4e8f-a6c4-7d9e0f1b2a31';
	return w;
}

export const exampleLongTask: ServerScenario = {
	workflow: { example: 'long-task.workflow.json' },
	adapt: longTaskFromWebhook,

	async run(run) {
		const { check, rest, emulator } = run;
		const name = `example ${run.fileName} (Webhook, Max Wait 5 s, Wait ${PARKING_WAIT_SECONDS} s)`;
		let executionId = '';
		let threadId = '';
		const parked = await check(
			`${name}: the first round times out to Still Working and the execution parks as "waiting"`,
			async () => {
				executionId = (await startThroughWebhook(run)).id;
				const e = await executionWhen(
					rest,
					executionId,
					(x) => x.status !== 'running' && x.status !== 'new',
					{
						timeoutMs: 90_000,
						description: `execution ${executionId} to leave "running"`,
					},
				);
				assertEqual(e.status, 'waiting', 'execution status');
				assert(e.waitTill && Date.parse(e.waitTill) > Date.now(), `waitTill ${e.waitTill}`);
				assertEqual(e.data.resultData.lastNodeExecuted, PAUSE, 'last node executed');
				const [round1] = nodeRuns(e, WAIT_FOR_REPLY);
				assertEqual(outputOf(round1, 0).length, 0, 'items on Replied after round 1');
				const [stillWorking] = outputOf(round1, 1);
				assert(stillWorking, 'no item on Still Working after round 1');
				assertEqual(stillWorking.json.status, 'timed_out', 'Still Working item status');
				assertEqual(stillWorking.json.rounds, 1, 'rounds');
				threadId = String(stillWorking.json.thread_id);
				// the agent has not answered: the turn is still running in the emulator
				assertEqual(emulator.threadState(threadId).status, 'running', 'thread status');
				return `execution ${executionId} waits till ${e.waitTill}`;
			},
		);
		if (!parked) return;
		emulator.finishTurn(threadId, REPLY);
		await check(
			`${name}: resumes after the Wait node and ends with the reply on Replied, one session created`,
			async () => {
				const e = await executionWhen(
					rest,
					executionId,
					(x) => x.status !== 'waiting' && x.status !== 'running',
					{
						timeoutMs: 180_000,
						description: `execution ${executionId} to finish`,
					},
				);
				assertEqual(e.status, 'success', 'execution status');
				const rounds = nodeRuns(e, WAIT_FOR_REPLY);
				assertEqual(rounds.length, 2, 'runs of Wait for Reply');
				const [replied] = outputOf(rounds[1], 0);
				assert(replied, 'no item on Replied after round 2');
				assertEqual(outputOf(rounds[1], 1).length, 0, 'items on Still Working after round 2');
				assertEqual(replied.json.status, 'replied', 'status');
				assertEqual(replied.json.reply, REPLY, 'reply');
				assertEqual(replied.json.thread_id, threadId, 'thread_id');
				assertEqual(replied.json.rounds, 2, 'rounds');
				const used = outputOf(nodeRuns(e, USE_REPLY)[0], 0);
				assertEqual(used.length, 1, `items into "${USE_REPLY}"`);
				assertEqual(used[0].json.reply, REPLY, `reply in "${USE_REPLY}"`);
				const creates = sessionCreates(run.requests(), run.apiKey);
				assertEqual(creates.length, 1, 'sessions created (emulator request log)');
				return `rounds 2, waited ${String(replied.json.waited_ms_total)} ms in the node, stopped at ${e.stoppedAt}`;
			},
		);
	},
};
