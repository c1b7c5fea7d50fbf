import { nodeOutput, runNode } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';
import { until } from '../support/until';
import { onClock, VirtualClock } from '../support/virtualClock';
import { ManualClock } from '../support/manualClock';

const api = useEmulator();
const WAITS = 30;
/** Past every first sleep here: the key's fair share for 30 waits (30 × 60 / 90 s), plus jitter. */
const PAST_EVERY_FIRST_SLEEP_MS = 30_000;
const polls = () => api.requestsTo('GET', /\/threads\/.+\/messages$/);

async function replyUrls(count: number): Promise<Array<{ url: string; threadId: string }>> {
	const urls: Array<{ url: string; threadId: string }> = [];
	for (let i = 0; i < count; i++) {
		const created = await api.startSession(`task ${i}`);
		urls.push({ url: created._links.final_message.href, threadId: created.thread_id });
	}
	return urls;
}

describe('the first poll of a Wait for Reply node', () => {
	// Several n8n processes on one key each see only their own waits: if every wait a node
	// starts polled at once, their bursts would meet in Blocks' window and draw 429s.
	test('on a contended key, the waits a node starts together spread their first polls over the fair share', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const turns = await replyUrls(WAITS);
		const clock = new ManualClock();

		const items = await onClock(clock, async () => {
			const run = runNode(
				{
					resource: 'session',
					operation: 'waitForReply',
					replyUrl: '={{ $json.url }}',
					pollIntervalSeconds: 1,
				},
				{ credential: api.credential, input: turns.map(({ url }) => ({ url })) },
			);
			await until(() => clock.pendingSleeps() === WAITS, 'every wait asleep');
			// Only the waits that found the key uncontended (one wait polls every 0.67 s at 90
			// requests a minute, inside the 1 s interval) looked at once; the others sleep first.
			expect(polls().length).toBeLessThanOrEqual(2);

			await clock.advance(PAST_EVERY_FIRST_SLEEP_MS);
			await until(
				() =>
					new Set(polls().map((entry) => entry.path)).size === WAITS &&
					clock.pendingSleeps() === WAITS,
				'every wait polled and asleep again',
			);
			for (const { threadId } of turns) api.emulator.finishTurn(threadId, `done ${threadId}`);
			await clock.advance(2 * PAST_EVERY_FIRST_SLEEP_MS);
			return nodeOutput(await run, 'Blocks');
		});

		expect(items.map((item) => item.json.status)).toEqual(turns.map(() => 'replied'));
	});

	test('on a key with room, a wait on an earlier turn looks at once', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const [turn] = await replyUrls(1);
		api.emulator.finishTurn(turn.threadId, 'already there');
		const clock = new ManualClock();

		const items = await onClock(clock, async () =>
			nodeOutput(
				await runNode(
					{ resource: 'session', operation: 'waitForReply', replyUrl: '={{ $json.url }}' },
					{ credential: api.credential, input: [{ url: turn.url }] },
				),
				'Blocks',
			),
		);

		// Nothing advanced the clock: the reply was found without sleeping.
		expect(items[0].json).toMatchObject({ status: 'replied', polls: 1, waited_ms: 0 });
	});
});

describe('the first poll after a send', () => {
	test('waits one step, about a second (a quarter of the Poll Interval): the reply cannot be there yet', async () => {
		api.emulator.setAgent(() => ({ reply: 'Quick one.', delayMs: 0 }));

		const run = await onClock(new VirtualClock(), () =>
			runNode(
				{
					resource: 'session',
					operation: 'create',
					agentName: 'claude',
					message: 'Go',
					waitForReply: true,
				},
				{ credential: api.credential },
			),
		);

		const [item] = nodeOutput(run, 'Blocks');
		expect(item.json).toMatchObject({ status: 'replied', polls: 1 });
		// One step of the schedule (1.25 s at the default 5 s), give or take its ±20 % jitter.
		expect(item.json.waited_ms).toBeGreaterThanOrEqual(1_000);
		expect(item.json.waited_ms).toBeLessThanOrEqual(1_500);
	});
});
