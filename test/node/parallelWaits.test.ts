import { waitUntil } from '../../emulator';
import { nodeError, nodeOutput, runNode } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';

const api = useEmulator();
const createAndWait = {
	resource: 'session',
	operation: 'create',
	agentName: 'claude',
	message: '={{ $json.task }}',
	waitForReply: true,
	pollIntervalSeconds: 1,
};
const polls = () => api.requestsTo('GET', /\/threads\/.+\/messages$/);

describe('parallel waits', () => {
	test('items wait side by side; sends stay in item order and outputs stay paired', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const tasks = ['a', 'b', 'c', 'd', 'e'];
		// Every item must be waiting before any reply exists: only then are replies given, last first.
		const replyInReverse = waitUntil(
			() => new Set(polls().map((entry) => entry.path)).size === tasks.length,
			{
				timeoutMs: 10_000,
			},
		).then(() => {
			const sessions = api.emulator.sessionIds();
			[...sessions].reverse().forEach((id, i) => {
				const threadPath = polls().find((entry) => entry.path.includes(id))!.path;
				api.emulator.finishTurn(threadPath.split('/')[6], `reply ${tasks.length - 1 - i}`);
			});
		});

		const run = await runNode(createAndWait, {
			credential: api.credential,
			input: tasks.map((task) => ({ task })),
		});
		await replyInReverse;

		const items = nodeOutput(run, 'Blocks');
		expect(items.map((item) => item.json.reply)).toEqual([
			'reply 0',
			'reply 1',
			'reply 2',
			'reply 3',
			'reply 4',
		]);
		expect(items.map((item) => item.pairedItem)).toEqual(tasks.map((_, item) => ({ item })));
		expect(items.map((item) => item.json.session_id)).toEqual(api.emulator.sessionIds());
		const creates = api.requestsTo('POST', /^\/rest\/v1\/sessions$/);
		expect(creates.map((entry) => entry.receivedAt)).toEqual(
			[...creates.map((entry) => entry.receivedAt)].sort((a, b) => a - b),
		);
	});

	test('with Send Concurrency, sends overlap but every item still gets exactly one session', async () => {
		api.emulator.faults.add({
			times: 3,
			match: { method: 'POST' },
			fault: { kind: 'stall', ms: 500 },
		});

		const run = await runNode(
			{
				resource: 'session',
				operation: 'create',
				agentName: 'claude',
				message: '={{ $json.task }}',
				options: { sendConcurrency: 3 },
			},
			{ credential: api.credential, input: [{ task: '1' }, { task: '2' }, { task: '3' }] },
		);

		expect(nodeOutput(run, 'Blocks')).toHaveLength(3);
		expect(api.emulator.stats().sessionsCreated).toBe(3);
		// Each answer is held 500 ms: one at a time, the third would arrive a second after the first.
		const creates = api.requestsTo('POST', /^\/rest\/v1\/sessions$/);
		expect(creates[2].receivedAt - creates[0].receivedAt).toBeLessThan(500);
	});

	test('cancelling while many waits are in flight ends all of them within about a second', async () => {
		api.emulator.setAgent(() => ({ never: true }));
		const cancel = new AbortController();
		const input = Array.from({ length: 20 }, (_, i) => ({ task: `task ${i}` }));
		const cancelledAt = waitUntil(
			() => new Set(polls().map((entry) => entry.path)).size === input.length,
			{
				timeoutMs: 15_000,
			},
		).then(() => {
			cancel.abort();
			return Date.now();
		});

		const run = await runNode(createAndWait, {
			credential: api.credential,
			input,
			cancel: cancel.signal,
		});
		const stoppedAfter = Date.now() - (await cancelledAt);

		expect(stoppedAfter).toBeLessThan(1_000);
		expect(nodeError(run, 'Blocks')?.message).toMatch(/cancelled/);
	}, 20_000);
});
