import { firstPollDelayMs, nextPollDelayMs } from '../../nodes/Blocks/wait/pollSchedule';

const middle = () => 0.5;

describe('adaptive poll schedule', () => {
	test('polls soon after the first look, then backs off geometrically to the steady interval', () => {
		const delays = Array.from({ length: 7 }, (_, i) => nextPollDelayMs(i + 1, 5_000, 0, middle));

		expect(delays).toEqual([1_000, 1_500, 2_250, 3_375, 5_000, 5_000, 5_000]);
	});

	test('many waits on one key poll at their fair share of the budget, without quick early polls', () => {
		expect(nextPollDelayMs(0, 5_000, 13_333, middle)).toBe(13_333);
		expect(nextPollDelayMs(20, 5_000, 13_333, middle)).toBe(13_333);
	});

	test('never waits longer than the steady interval the user set when the budget allows', () => {
		expect(nextPollDelayMs(50, 30_000, 600, middle)).toBe(30_000);
	});

	test('jitter spreads waits by ±20% so they do not poll in step', () => {
		expect(nextPollDelayMs(10, 5_000, 0, () => 0)).toBe(4_000);
		expect(nextPollDelayMs(10, 5_000, 0, () => 1)).toBe(6_000);
	});

	test('the first poll: at once on an earlier turn, one step after a send, the fair share on a contended key', () => {
		expect(firstPollDelayMs(false, 5_000, 600, middle)).toBe(0);
		expect(firstPollDelayMs(true, 5_000, 600, middle)).toBe(1_000);
		expect(firstPollDelayMs(false, 5_000, 13_333, middle)).toBe(13_333);
		expect(firstPollDelayMs(true, 5_000, 13_333, middle)).toBe(13_333);
	});
});
