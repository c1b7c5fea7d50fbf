import { nodeError, nodeOutput, runNode } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';
import { until } from '../support/until';
import { onClock } from '../support/virtualClock';
import { ManualClock } from '../support/manualClock';

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
const polledThreads = () => new Set(polls().map((entry) => entry.path)).size;
/** Longer than any wait's next sleep here: the key's fair share for 20 waits, plus jitter. */
const PAST_EVERY_SLEEP_MS = 30_000;
/** How long each create is held by the emulator in the Send Concurrency test. */
const HOLD_MS = 3_000;

describe('parallel waits', () => {
	test('items wait side by side; sends stay in item order and outputs stay paired', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const tasks = ['a', 'b', 'c', 'd', 'e'];
		const clock = new ManualClock();

		const items = await onClock(clock, async () => {
			const run = runNode(createAndWait, {
				credential: api.credential,
				input: tasks.map((task) => ({ task })),
			});
			// Every item is sent and asleep before its first poll; then every item polls once.
			await until(() => clock.pendingSleeps() === tasks.length, 'every item waiting');
			await clock.advance(PAST_EVERY_SLEEP_MS);
			await until(
				() => polledThreads() === tasks.length && clock.pendingSleeps() === tasks.length,
				'every item polled once and asleep again',
			);
			// Only now do replies exist, given last item first.
			for (const [i, id] of [...api.emulator.sessionIds().entries()].reverse()) {
				const threadPath = polls().find((entry) => entry.path.includes(id))!.path;
				api.emulator.finishTurn(threadPath.split('/')[6], `reply ${i}`);
			}
			await clock.advance(PAST_EVERY_SLEEP_MS);
			return nodeOutput(await run, 'Blocks');
		});

		expect(items.map((item) => item.json.reply)).toEqual([
			'reply 0',
			'reply 1',
			'reply 2',
			'reply 3',
			'reply 4',
		]);
		expect(items.map((item) => item.pairedItem)).toEqual(tasks.map((_, item) => ({ item })));
		// Sessions were created in item order: item i holds the i-th session.
		expect(items.map((item) => item.json.session_id)).toEqual(api.emulator.sessionIds());
	});

	test('with Send Concurrency, sends overlap but every item still gets exactly one session', async () => {
		api.emulator.faults.add({
			times: 3,
			match: { method: 'POST' },
			fault: { kind: 'stall', ms: HOLD_MS },
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
		// One at a time, the third create could only arrive after the first had been answered.
		const creates = api.requestsTo('POST', /^\/rest\/v1\/sessions$/);
		expect(creates[2].receivedAt).toBeLessThan(creates[0].receivedAt + HOLD_MS);
	});

	test('cancelling while many waits are in flight ends every one of them', async () => {
		api.emulator.setAgent(() => ({ never: true }));
		const cancel = new AbortController();
		const input = Array.from({ length: 20 }, (_, i) => ({ task: `task ${i}` }));
		const clock = new ManualClock();

		await onClock(clock, async () => {
			const run = runNode(createAndWait, {
				// Left at 1 process, the budget would let 10 creates out, then one every 0.67 s, and
				// this clock stands still until every item waits. At 2 processes on a key of twice
				// the limit it lets all 20 out at once, at the same allowance of 90 a minute.
				credential: { ...api.credential, requestsPerMinute: 200, processesSharingKey: 2 },
				input,
				cancel: cancel.signal,
			});
			await until(() => clock.pendingSleeps() === input.length, 'every item waiting');
			await clock.advance(PAST_EVERY_SLEEP_MS);
			await until(
				() => polledThreads() === input.length && clock.pendingSleeps() === input.length,
				'every item polled once and asleep again',
			);
			const pollsBeforeCancel = polls().length;

			cancel.abort();
			const error = nodeError(await run, 'Blocks');

			expect(error?.message).toMatch(/cancelled/);
			// No wait is left asleep, and none polled again.
			expect(clock.pendingSleeps()).toBe(0);
			expect(polls()).toHaveLength(pollsBeforeCancel);
		});
	});
});
