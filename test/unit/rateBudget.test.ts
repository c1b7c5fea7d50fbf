import { budgetFor, RateBudget } from '../../nodes/Blocks/transport/rateBudget';
import { MAX_SERVER_WAIT_MS } from '../../nodes/Blocks/transport/retryPolicy';
import { ManualClock, settle } from '../support/manualClock';

const DEFAULTS = { requestsPerMinute: 100, reservedShare: 0.1 };

/**
 * Starts `count` takes, each with a signal of its own as each item has, and reports how many
 * have been granted so far.
 */
function takeMany(budget: RateBudget, count: number) {
	let granted = 0;
	// Each answered at once, as the transport answers every slot it takes.
	const all = Array.from({ length: count }, () =>
		budget.take(new AbortController().signal).then((slot) => {
			if (slot) budget.answered(slot);
			granted++;
		}),
	);
	return { granted: () => granted, all };
}

describe('rate budget', () => {
	test('keeps the reserve free: 90 of 100 requests a minute, the 91st waits for the window', async () => {
		const clock = new ManualClock();
		const budget = new RateBudget(DEFAULTS, clock);

		const takes = takeMany(budget, 91);
		await clock.advance(59_999);
		expect(takes.granted()).toBe(90);
		await clock.advance(1);
		expect(takes.granted()).toBe(91);
	});

	test('left at 1 process, it lets out a burst of 10, then keeps to the steady pace', async () => {
		const clock = new ManualClock();
		const budget = new RateBudget(DEFAULTS, clock);

		const takes = takeMany(budget, 20);
		await settle();
		expect(takes.granted()).toBe(10);
		// 90 a minute: one every 667 ms.
		await clock.advance(667);
		expect(takes.granted()).toBe(11);
		await clock.advance(9 * 667);
		expect(takes.granted()).toBe(20);
	});

	test('the burst comes back at the pace when the key is idle', async () => {
		const clock = new ManualClock();
		const budget = new RateBudget(DEFAULTS, clock);
		await Promise.all(takeMany(budget, 10).all);

		await clock.advance(3 * 667);
		const takes = takeMany(budget, 4);
		await settle();
		expect(takes.granted()).toBe(3);
	});

	test('with the processes setting above 1, the window alone limits a burst', async () => {
		const clock = new ManualClock();
		const budget = new RateBudget({ ...DEFAULTS, processes: 2 }, clock);

		const takes = takeMany(budget, 46);
		await settle();
		expect(takes.granted()).toBe(45);
	});

	test('a setting for a key with another limit is honoured', async () => {
		const clock = new ManualClock();
		const budget = new RateBudget({ requestsPerMinute: 20, reservedShare: 0 }, clock);

		const takes = takeMany(budget, 25);
		await clock.advance(59_999);

		expect(takes.granted()).toBe(20);
	});

	test('waits share the allowance fairly: each of N polls about every N/allowance minutes', () => {
		const budget = new RateBudget(DEFAULTS, new ManualClock());
		const done = Array.from({ length: 30 }, () => budget.registerWait());

		expect(budget.fairPollIntervalMs()).toBeCloseTo((30 * 60_000) / 90);
		done.slice(0, 20).forEach((release) => release());
		expect(budget.fairPollIntervalMs()).toBeCloseTo((10 * 60_000) / 90);
	});

	test('a 429 with Retry-After pauses the whole key for that long', async () => {
		const clock = new ManualClock();
		const budget = new RateBudget(DEFAULTS, clock);
		budget.rateLimited(5_000);

		const takes = takeMany(budget, 1);
		await clock.advance(4_999);
		expect(takes.granted()).toBe(0);
		await clock.advance(1);
		expect(takes.granted()).toBe(1);
	});

	test('a 429 asking for a day pauses the key no longer than the ceiling', async () => {
		const clock = new ManualClock();
		const budget = new RateBudget(DEFAULTS, clock);
		budget.rateLimited(24 * 3_600_000);
		// An answer that arrives during the pause cannot stretch it either.
		budget.rateLimited(24 * 3_600_000);

		const takes = takeMany(budget, 1);
		await clock.advance(MAX_SERVER_WAIT_MS - 1);
		expect(takes.granted()).toBe(0);
		await clock.advance(1);
		expect(takes.granted()).toBe(1);
	});

	test('after a 429 requests go out evenly spaced at the lowered rate, not in a burst', async () => {
		const clock = new ManualClock();
		const budget = new RateBudget(DEFAULTS, clock);
		budget.rateLimited(0);
		const spacingMs = Math.ceil(60_000 / budget.allowancePerMinute());

		const takes = takeMany(budget, 3);
		await settle();
		expect(takes.granted()).toBe(1);
		await clock.advance(spacingMs - 1);
		expect(takes.granted()).toBe(1);
		await clock.advance(1);
		expect(takes.granted()).toBe(2);
		await clock.advance(spacingMs);
		expect(takes.granted()).toBe(3);
	});

	test('429s without Retry-After back off exponentially; answers during a pause and successes do not add to it', async () => {
		const clock = new ManualClock();
		const budget = new RateBudget(DEFAULTS, clock);
		const pauseAfter429 = async (alsoDuringPause = 0) => {
			budget.rateLimited(undefined);
			for (let i = 0; i < alsoDuringPause; i++) budget.rateLimited(undefined);
			const start = clock.now();
			const grantedAt = budget.take(new AbortController().signal).then(() => clock.now());
			await clock.advance(120_000);
			return (await grantedAt) - start;
		};

		expect(await pauseAfter429()).toBe(1_000);
		expect(await pauseAfter429(5)).toBe(2_000);
		expect(await pauseAfter429()).toBe(4_000);
		budget.succeeded();
		expect(await pauseAfter429()).toBe(1_000);
	});

	test('a 429 cuts the assumed rate to 70 %, which grows back by 5 % of the limit a minute', async () => {
		const clock = new ManualClock();
		const budget = new RateBudget(DEFAULTS, clock);

		budget.rateLimited(0);
		expect(budget.allowancePerMinute()).toBe(63);
		await clock.advance(60_000);
		expect(budget.allowancePerMinute()).toBe(67);
		budget.rateLimited(0);
		expect(budget.allowancePerMinute()).toBe(47);
		await clock.advance(10 * 60_000);
		expect(budget.allowancePerMinute()).toBe(90);
	});

	test('with the processes setting each process budgets its part of the unreserved limit', async () => {
		const clock = new ManualClock();
		const budget = new RateBudget({ ...DEFAULTS, processes: 2 }, clock);

		const takes = takeMany(budget, 46);
		await settle();
		expect(takes.granted()).toBe(45);
		// The increase after a 429 is the same in every process, whatever its share.
		budget.rateLimited(0);
		expect(budget.allowancePerMinute()).toBe(31);
		await clock.advance(60_000);
		expect(budget.allowancePerMinute()).toBe(36);
	});

	test('a cancelled request leaves the queue and no sleep is left behind', async () => {
		const clock = new ManualClock();
		const budget = new RateBudget({ requestsPerMinute: 1, reservedShare: 0 }, clock);
		await budget.take(new AbortController().signal);
		const cancel = new AbortController();

		const waiting = budget.take(cancel.signal);
		await settle();
		expect(clock.pendingSleeps()).toBe(1);
		cancel.abort();

		await expect(waiting).rejects.toThrow(/cancelled/);
		await settle();
		expect(clock.pendingSleeps()).toBe(0);
	});

	test('sends (creates, follow-ups) queue ahead of polls', async () => {
		const clock = new ManualClock();
		const budget = new RateBudget({ requestsPerMinute: 1, reservedShare: 0 }, clock);
		await budget.take(new AbortController().signal);
		const order: string[] = [];
		const signal = new AbortController().signal;

		const poll = budget.take(signal).then(() => order.push('poll'));
		const send = budget.take(signal, { send: true }).then(() => order.push('send'));
		await clock.advance(120_000);
		await Promise.all([poll, send]);

		expect(order).toEqual(['send', 'poll']);
	});

	test('requests that leave the line from its middle are skipped; the rest keep their order', async () => {
		const clock = new ManualClock();
		const budget = new RateBudget({ requestsPerMinute: 1, reservedShare: 0 }, clock);
		await budget.take(new AbortController().signal);
		const order: number[] = [];
		const stops = Array.from({ length: 200 }, () => new AbortController());
		const takes = stops.map((stop, index) =>
			budget.take(stop.signal).then(
				() => order.push(index),
				() => undefined,
			),
		);
		stops.forEach((stop, index) => index % 50 !== 7 && stop.abort());

		await clock.advance(5 * 60_000);
		await Promise.all(takes);

		expect(order).toEqual([7, 57, 107, 157]);
		expect(clock.pendingSleeps()).toBe(0);
	});

	test('a slot counts from when its answer came, so a slow request cannot overrun the window', async () => {
		const clock = new ManualClock();
		const budget = new RateBudget({ requestsPerMinute: 1, reservedShare: 0 }, clock);
		const slot = await budget.take(new AbortController().signal);
		await clock.advance(10_000);
		budget.answered(slot!);

		const grantedAt = budget.take(new AbortController().signal).then(() => clock.now());
		const start = clock.now();
		await clock.advance(120_000);

		expect((await grantedAt) - start).toBe(60_000);
	});

	test('a wait that cannot get a slot before its deadline is told so instead of being held', async () => {
		const clock = new ManualClock();
		const budget = new RateBudget({ requestsPerMinute: 1, reservedShare: 0 }, clock);
		await budget.take(new AbortController().signal);

		const slot = budget.take(new AbortController().signal, { notAfter: clock.now() + 5_000 });
		await clock.advance(5_000);

		expect(await slot).toBeUndefined();
		expect(clock.pendingSleeps()).toBe(0);
	});

	test('separate keys (and the same key at another URL) have independent budgets', () => {
		const a = budgetFor('key-a', 'https://api.blocks.team', DEFAULTS);
		expect(budgetFor('key-a', 'https://api.blocks.team', DEFAULTS)).toBe(a);
		expect(budgetFor('key-b', 'https://api.blocks.team', DEFAULTS)).not.toBe(a);
		expect(budgetFor('key-a', 'http://127.0.0.1:4010', DEFAULTS)).not.toBe(a);
	});
});
