import { nodeOutput, runNode } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';
import { onClock, VirtualClock } from '../support/virtualClock';

const api = useEmulator();
const polls = () => api.requestsTo('GET', /\/threads\/.+\/messages$/);

/** The quick-start loop's polls over a wait: one at once after the create, then one every 5 s. */
const loopPolls = (waitedMs: number) => Math.floor(waitedMs / 5_000) + 1;

describe('the poll schedule of one wait on a key with room', () => {
	test('polls densely in the first seconds, and a turn of minutes costs no more polls than a 5 s loop', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const pollTimes: number[] = [];
		// The clock stands still while a poll is answered; each jump is from one sleep to the next.
		const clock = new VirtualClock(() => {
			while (pollTimes.length < polls().length) pollTimes.push(clock.elapsed());
		});

		const items = await onClock(clock, async () =>
			nodeOutput(
				await runNode(
					{
						resource: 'session',
						operation: 'create',
						agentName: 'claude',
						message: 'A long task',
						waitForReply: true,
						maxWaitSeconds: 600,
						pollIntervalSeconds: 5,
						onTimeout: 'output',
					},
					{ credential: api.credential },
				),
				'Blocks',
			),
		);

		expect(items[0].json.status).toBe('timed_out');
		const within = (seconds: number) => pollTimes.filter((at) => at <= seconds * 1000).length;
		// The loop has polled twice by 10 s (at 0 and 5 s); this schedule 6 times (1.25, 2.5, 3.75,
		// 5.3, 7.1 and 9.2 s, less or more by the jitter), so a reply under 10 s is seen within about 1 s.
		expect(within(10)).toBeGreaterThanOrEqual(6);
		// Max Wait is cut short of the test's execution time limit: compare over the time waited.
		expect(polls().length).toBeLessThanOrEqual(loopPolls(Number(items[0].json.waited_ms)));
	});
});
