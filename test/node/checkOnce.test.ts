import type { IConnections, INode, INodeParameters } from 'n8n-workflow';

import type { WorkflowJson } from '../engine';
import {
	blocksNode,
	nodeError,
	nodeOutput,
	nodeRuns,
	plainNode,
	runBlocks,
} from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';
import { onClock, VirtualClock } from '../support/virtualClock';
import { waitForReplyOnClock } from '../support/waitForReplyOnClock';

/**
 * Check Once: Wait for Reply looks once and answers at once, so that the rounds of a loop parked
 * in n8n's Wait node hold an execution slot only while they check (docs/waiting.md).
 */

const api = useEmulator();
const REPLIED = 0;
const STILL_WORKING = 1;
/** The least whole-seconds Wait that always parks: test/e2e/scenarios/exampleLongTask.ts. */
const PARK_MS = 66_000;

const polls = () => api.requestsTo('GET', /\/threads\/.+\/messages$/);
const threadOf = (path: string) => path.split('/')[6];

async function startTurn(): Promise<{ thread_id: string; replyUrl: string }> {
	const created = await api.startSession('Upgrade the test framework');
	return { ...created, replyUrl: created._links.final_message.href };
}

/** A virtual clock on which n8n's Wait node (passed at once by the engine) takes its time. */
class ParkingClock extends VirtualClock {
	park(ms: number) {
		this.time += ms;
	}
}

/**
 * The two-phase pattern of examples/long-task.workflow.json: Create → Quick Wait (in the node);
 * Still Working → Park (n8n's Wait node) → Check (Check Once); Still Working → Park again.
 */
function twoPhaseLoop(check: INodeParameters = {}): WorkflowJson {
	const stillWorking = {
		resource: 'session',
		operation: 'waitForReply',
		onTimeout: 'stillWorking',
	};
	const nodes: INode[] = [
		plainNode('Start', 'n8n-nodes-base.manualTrigger'),
		blocksNode('Create', {
			resource: 'session',
			operation: 'create',
			agentName: 'claude',
			message: 'Upgrade the test framework',
		}),
		blocksNode('Quick Wait', { ...stillWorking, maxWaitSeconds: 60, pollIntervalSeconds: 5 }),
		plainNode('Park', 'n8n-nodes-base.wait'),
		blocksNode('Check', { ...stillWorking, checkOnce: true, ...check }),
		plainNode('Done', 'n8n-nodes-base.noOp'),
	];
	const to = (node: string) => [{ node, type: 'main' as const, index: 0 }];
	const connections: IConnections = {
		Start: { main: [to('Create')] },
		Create: { main: [to('Quick Wait')] },
		'Quick Wait': { main: [to('Done'), to('Park')] },
		Park: { main: [to('Check')] },
		Check: { main: [to('Done'), to('Park')] },
	};
	// A loop that fails to end is stopped by the time limit, so a failing test cannot hang. The
	// limit, read on the virtual clock, must leave Quick Wait its 60 s.
	return { nodes, connections, settings: { executionTimeout: 90 } };
}

/** Runs the two-phase loop on a clock where each pass through Park takes PARK_MS. */
async function runTwoPhase(check: INodeParameters, onCheck: (runs: number) => void = () => {}) {
	const clock = new ParkingClock();
	const run = await onClock(clock, () =>
		runBlocks(twoPhaseLoop(check), {
			credential: api.credential,
			onNodeFinished: (node, runs) => {
				if (node === 'Park') clock.park(PARK_MS);
				if (node === 'Check') onCheck(runs);
			},
		}),
	);
	return { run, clock };
}

describe('Check Once', () => {
	test('one poll, at once: Still Working while the turn runs, Replied once the reply is there', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const turn = await startTurn();
		const clock = new VirtualClock();

		const run = await waitForReplyOnClock(api, clock, {
			replyUrl: turn.replyUrl,
			checkOnce: true,
			onTimeout: 'stillWorking',
		});

		expect(clock.elapsed()).toBe(0);
		expect(polls()).toHaveLength(1);
		expect(nodeOutput(run, 'Blocks', { output: REPLIED })).toHaveLength(0);
		expect(nodeOutput(run, 'Blocks', { output: STILL_WORKING })[0].json).toMatchObject({
			status: 'timed_out',
			thread_id: turn.thread_id,
			reply_url: turn.replyUrl,
			polls: 1,
			waited_ms: 0,
			rounds: 1,
		});

		api.emulator.finishTurn(turn.thread_id, 'Upgraded');
		const again = await waitForReplyOnClock(api, clock, {
			replyUrl: turn.replyUrl,
			checkOnce: true,
			onTimeout: 'stillWorking',
		});
		expect(clock.elapsed()).toBe(0);
		expect(polls()).toHaveLength(2);
		expect(nodeOutput(again, 'Blocks', { output: REPLIED })[0].json).toMatchObject({
			status: 'replied',
			reply: 'Upgraded',
			polls: 1,
		});
	});

	test('with "Fail the Item" a turn still running fails at once, saying no reply yet', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const turn = await startTurn();

		const run = await waitForReplyOnClock(api, new VirtualClock(), {
			replyUrl: turn.replyUrl,
			checkOnce: true,
		});

		expect(nodeError(run, 'Blocks')?.message).toBe('No reply yet');
		expect(polls()).toHaveLength(1);
	});

	test('the two-phase loop: a quick wait, then check-once rounds through the Wait node carry the turn to its reply', async () => {
		api.emulator.setAgent(() => ({ manual: true }));

		const { run } = await runTwoPhase({}, (runs) => {
			// The agent finishes during the third park.
			if (runs === 3) api.emulator.finishTurn(threadOf(polls()[0].path), 'Upgraded');
		});

		expect(nodeRuns(run, 'Quick Wait')).toBe(1);
		expect(nodeRuns(run, 'Check')).toBe(4);
		const [quick] = nodeOutput(run, 'Quick Wait', { output: STILL_WORKING });
		const checks = [0, 1, 2].map(
			(runIndex) => nodeOutput(run, 'Check', { output: STILL_WORKING, runIndex })[0].json,
		);
		expect(checks.map((c) => [c.rounds, c.polls, c.waited_ms])).toEqual([
			[2, 1, 0],
			[3, 1, 0],
			[4, 1, 0],
		]);
		const [replied] = nodeOutput(run, 'Check', { output: REPLIED, runIndex: 3 });
		expect(replied.json).toMatchObject({
			status: 'replied',
			reply: 'Upgraded',
			rounds: 5,
			reply_url: quick.json.reply_url,
			waiting_since: quick.json.waiting_since,
			// The quick wait's 60 s and four parks: the parked time counts.
			waited_ms_total: 60_000 + 4 * PARK_MS,
		});
		expect(nodeOutput(run, 'Done')[0].json).toMatchObject({ reply: 'Upgraded' });
		expect(api.emulator.stats().sessionsCreated).toBe(1);
		expect(new Set(polls().map((entry) => threadOf(entry.path))).size).toBe(1);
	});

	test('Give Up After ends a loop of check-once rounds, counting the time parked between them', async () => {
		api.emulator.setAgent(() => ({ manual: true }));

		const { run } = await runTwoPhase({ giveUpAfterSeconds: 300 });

		// 60 s in Quick Wait, then checks at 126, 192, 258 and 324 s: the last is past 300 s.
		expect(nodeRuns(run, 'Check')).toBe(4);
		expect(nodeError(run, 'Check', 3)?.message).toMatch(
			/^Gave up waiting for the reply after 5 rounds and 5 min in all \(Give Up After: 5 min\)/,
		);
		expect(nodeRuns(run, 'Done')).toBe(0);
	});
});
