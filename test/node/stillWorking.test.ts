import type { INode, IConnections } from 'n8n-workflow';

import { waitUntil } from '../support/until';
import type { WorkflowJson } from '../engine';
import {
	blocksNode,
	chain,
	nodeError,
	nodeOutput,
	nodeRuns,
	plainNode,
	runBlocks,
	runNode,
} from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';

const api = useEmulator();
const REPLIED = 0;
const STILL_WORKING = 1;

const polls = () => api.requestsTo('GET', /\/threads\/.+\/messages$/);
const threadOf = (path: string) => path.split('/')[6];

async function startTurn(): Promise<{ id: string; thread_id: string; replyUrl: string }> {
	const created = await api.startSession('Refactor the billing module');
	return { ...created, replyUrl: created._links.final_message.href };
}

const waitStillWorking = (more: Record<string, unknown> = {}) => ({
	resource: 'session',
	operation: 'waitForReply',
	maxWaitSeconds: 1,
	pollIntervalSeconds: 1,
	onTimeout: 'stillWorking',
	...more,
});

/**
 * The long-task loop: Start → Create (no wait) → Wait for Reply; Still Working → Pause (n8n's
 * Wait node) → back into Wait for Reply; Replied → Done.
 */
function longTaskLoop(waitParameters: Record<string, unknown>): WorkflowJson {
	const nodes: INode[] = [
		plainNode('Start', 'n8n-nodes-base.manualTrigger'),
		blocksNode('Create', {
			resource: 'session',
			operation: 'create',
			agentName: 'claude',
			message: 'Migrate the test suite',
		}),
		blocksNode('Wait', waitStillWorking(waitParameters)),
		plainNode('Pause', 'n8n-nodes-base.wait'),
		plainNode('Done', 'n8n-nodes-base.noOp'),
	];
	const to = (node: string) => [{ node, type: 'main' as const, index: 0 }];
	const connections: IConnections = {
		Start: { main: [to('Create')] },
		Create: { main: [to('Wait')] },
		Wait: { main: [to('Done'), to('Pause')] },
		Pause: { main: [to('Wait')] },
	};
	// A loop that fails to end is stopped by the time limit, so a failing test cannot hang.
	return { nodes, connections, settings: { executionTimeout: 20 } };
}

describe('On Timeout: Route to Still Working Output', () => {
	test('replies go to Replied, time-outs to Still Working, each paired with its input', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const turns = [await startTurn(), await startTurn(), await startTurn()];
		api.emulator.finishTurn(turns[1].thread_id, 'Billing refactored');

		const run = await runNode(waitStillWorking({ replyUrl: '={{ $json.url }}' }), {
			credential: api.credential,
			input: turns.map((turn) => ({ url: turn.replyUrl })),
		});

		const replied = nodeOutput(run, 'Blocks', { output: REPLIED });
		const stillWorking = nodeOutput(run, 'Blocks', { output: STILL_WORKING });
		expect(replied.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(replied[0].json).toMatchObject({
			status: 'replied',
			reply: 'Billing refactored',
			thread_id: turns[1].thread_id,
			rounds: 1,
		});
		expect(stillWorking.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(stillWorking.map((item) => item.json)).toEqual([
			expect.objectContaining({
				status: 'timed_out',
				thread_id: turns[0].thread_id,
				reply_url: turns[0].replyUrl,
			}),
			expect.objectContaining({
				status: 'timed_out',
				thread_id: turns[2].thread_id,
				reply_url: turns[2].replyUrl,
			}),
		]);
	});

	test('a create that waits routes its time-out to Still Working too; the default Reply URL resumes it', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const workflow = chain(
			blocksNode('Create', {
				resource: 'session',
				operation: 'create',
				agentName: 'claude',
				message: 'Write the changelog',
				waitForReply: true,
				maxWaitSeconds: 1,
				pollIntervalSeconds: 1,
				onTimeout: 'stillWorking',
			}),
		);
		const afterCreate = await runBlocks(workflow, { credential: api.credential });
		const [stillWorking] = nodeOutput(afterCreate, 'Create', { output: STILL_WORKING });
		expect(nodeOutput(afterCreate, 'Create', { output: REPLIED })).toHaveLength(0);
		expect(stillWorking.json).toMatchObject({ status: 'timed_out', rounds: 1 });

		api.emulator.finishTurn(String(stillWorking.json.thread_id), 'Changelog written');
		// A later execution: the Still Working item is the input, the Reply URL left at its default.
		const resumed = await runNode(
			{ resource: 'session', operation: 'waitForReply', onTimeout: 'stillWorking' },
			{ credential: api.credential, input: [stillWorking.json] },
		);

		expect(nodeOutput(resumed, 'Blocks', { output: REPLIED })[0].json).toMatchObject({
			status: 'replied',
			reply: 'Changelog written',
			thread_id: stillWorking.json.thread_id,
			rounds: 2,
		});
		expect(api.emulator.stats().sessionsCreated).toBe(1);
	});

	test('a loop of three rounds carries rounds and waited_ms_total, then replies', async () => {
		api.emulator.setAgent(() => ({ manual: true }));

		const run = await runBlocks(longTaskLoop({}), {
			credential: api.credential,
			// The agent finishes while the second round's item is on its way back.
			onNodeFinished: (node, runs) => {
				if (node === 'Wait' && runs === 2) {
					api.emulator.finishTurn(threadOf(polls()[0].path), 'Suite migrated');
				}
			},
		});

		expect(nodeRuns(run, 'Wait')).toBe(3);
		const [first] = nodeOutput(run, 'Wait', { output: STILL_WORKING, runIndex: 0 });
		const [second] = nodeOutput(run, 'Wait', { output: STILL_WORKING, runIndex: 1 });
		const [third] = nodeOutput(run, 'Wait', { output: REPLIED, runIndex: 2 });
		expect(first.json).toMatchObject({ status: 'timed_out', rounds: 1 });
		expect(first.json.waited_ms_total).toBe(first.json.waited_ms);
		expect(second.json).toMatchObject({ status: 'timed_out', rounds: 2 });
		expect(third.json).toMatchObject({ status: 'replied', reply: 'Suite migrated', rounds: 3 });
		// The total runs from the first round's start: each round's wait, and the time between.
		for (const [earlier, later] of [
			[first, second],
			[second, third],
		]) {
			expect(later.json.waiting_since).toBe(first.json.waiting_since);
			expect(Number(later.json.waited_ms_total)).toBeGreaterThanOrEqual(
				Number(earlier.json.waited_ms_total) + Number(later.json.waited_ms),
			);
		}
		expect(nodeOutput(run, 'Wait', { output: REPLIED, runIndex: 0 })).toHaveLength(0);
		expect(nodeOutput(run, 'Done')[0].json).toMatchObject({ reply: 'Suite migrated' });
		expect(api.emulator.stats().sessionsCreated).toBe(1);
		expect(new Set(polls().map((entry) => threadOf(entry.path))).size).toBe(1);
	});
});

describe('Give Up After', () => {
	test('ends the loop: the round that reaches it fails with the rounds, the total and the reply URL', async () => {
		api.emulator.setAgent(() => ({ never: true }));

		const run = await runBlocks(longTaskLoop({ giveUpAfterSeconds: 2 }), {
			credential: api.credential,
		});

		expect(nodeRuns(run, 'Wait')).toBe(2);
		const error = nodeError(run, 'Wait', 1);
		expect(error?.message).toMatch(
			/^Gave up waiting for the reply after 2 rounds and 2 s in all \(Give Up After: 2 s\)/,
		);
		expect(error?.description).toContain(threadOf(polls()[0].path));
		expect(error?.description).toMatch(/was not cancelled/);
		expect(nodeRuns(run, 'Done')).toBe(0);
	});

	test('equal to Max Wait: the first round is a time-out on Still Working, the second gives up', async () => {
		api.emulator.setAgent(() => ({ never: true }));

		const run = await runBlocks(longTaskLoop({ maxWaitSeconds: 1, giveUpAfterSeconds: 1 }), {
			credential: api.credential,
		});

		const [first] = nodeOutput(run, 'Wait', { output: STILL_WORKING, runIndex: 0 });
		expect(first.json).toMatchObject({ status: 'timed_out', rounds: 1 });
		expect(nodeRuns(run, 'Wait')).toBe(2);
		expect(nodeError(run, 'Wait', 1)?.message).toMatch(
			/^Gave up waiting for the reply after 2 rounds/,
		);
	});

	test('equal to Max Wait under "Fail the Item": one round that reaches Max Wait is a time-out', async () => {
		api.emulator.setAgent(() => ({ never: true }));
		const turn = await startTurn();

		const run = await runNode(
			{
				resource: 'session',
				operation: 'waitForReply',
				replyUrl: turn.replyUrl,
				maxWaitSeconds: 1,
				giveUpAfterSeconds: 1,
			},
			{ credential: api.credential },
		);

		expect(nodeError(run, 'Blocks')?.message).toMatch(/^No reply within 1 seconds/);
	});

	test('with Continue On Fail the error item goes to Replied, paired, and the loop stops', async () => {
		api.emulator.setAgent(() => ({ never: true }));
		const workflow = longTaskLoop({ giveUpAfterSeconds: 2 });
		const wait = workflow.nodes.find((node) => node.name === 'Wait')!;
		wait.onError = 'continueRegularOutput';

		const run = await runBlocks(workflow, { credential: api.credential });

		expect(nodeRuns(run, 'Wait')).toBe(2);
		const [gaveUp] = nodeOutput(run, 'Wait', { output: REPLIED, runIndex: 1 });
		expect(gaveUp.json.error).toMatch(/^Gave up waiting for the reply after 2 rounds/);
		expect(gaveUp.pairedItem).toEqual({ item: 0 });
		expect(nodeOutput(run, 'Wait', { output: STILL_WORKING, runIndex: 1 })).toHaveLength(0);
		expect(nodeOutput(run, 'Done')[0].json.error).toBe(gaveUp.json.error);
	});
});

describe("the execution's time limit", () => {
	test('a wait ends a margin before "Timeout Workflow" with its Still Working item', async () => {
		api.emulator.setAgent(() => ({ never: true }));
		const workflow = longTaskLoop({ maxWaitSeconds: 600 });
		// Still Working leads out of the loop here, to a node that must still get to run.
		workflow.connections.Pause = { main: [[{ node: 'Done', type: 'main', index: 0 }]] };
		workflow.settings = { executionTimeout: 8 };

		const run = await runBlocks(workflow, { credential: api.credential });

		expect(run.status).not.toBe('canceled');
		const [item] = nodeOutput(run, 'Wait', { output: STILL_WORKING });
		expect(item.json).toMatchObject({ status: 'timed_out', rounds: 1 });
		expect(item.json.waited_ms).toBeLessThan(8_000);
		expect(nodeOutput(run, 'Done')[0].json).toMatchObject({ status: 'timed_out' });
	});

	test('with "Fail the Item" the error says the wait ended before the time limit', async () => {
		api.emulator.setAgent(() => ({ never: true }));
		const workflow = chain(
			blocksNode('Create', {
				resource: 'session',
				operation: 'create',
				agentName: 'claude',
				message: 'Go',
			}),
			blocksNode('Wait', { resource: 'session', operation: 'waitForReply', maxWaitSeconds: 600 }),
		);
		workflow.settings = { executionTimeout: 4 };

		const run = await runBlocks(workflow, { credential: api.credential });

		const error = nodeError(run, 'Wait');
		expect(error?.message).toMatch(/^No reply within [0-3] seconds/);
		expect(error?.description).toMatch(/before this execution's time limit/);
	});
});

describe('when n8n stops a wait anyway', () => {
	test('the error says the agent is still working and gives the reply URL to resume from', async () => {
		api.emulator.setAgent(() => ({ never: true }));
		const turn = await startTurn();
		const cancel = new AbortController();
		const cancelAfterFirstPoll = waitUntil(() => polls().length >= 1).then(() => cancel.abort());

		const run = await runNode(
			waitStillWorking({ replyUrl: turn.replyUrl, maxWaitSeconds: 600, pollIntervalSeconds: 30 }),
			{ credential: api.credential, cancel: cancel.signal },
		);
		await cancelAfterFirstPoll;

		const error = nodeError(run, 'Blocks');
		expect(error?.message).toMatch(/cancelled while the agent was still working/);
		expect(error?.description).toContain(turn.replyUrl);
		expect(error?.description).toMatch(/turn goes on in Blocks/);
	});
});
