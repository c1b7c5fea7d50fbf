import { firstPollDelayMs, nextPollDelayMs } from '../../nodes/Blocks/wait/pollSchedule';

const middle = () => 0.5;

/** The poll times of one wait, from its send, up to `untilMs`. */
function pollTimes(untilMs: number, steadyMs = 5_000): number[] {
	const times: number[] = [];
	for (let at = firstPollDelayMs(true, steadyMs, 0, middle); at <= untilMs;) {
		times.push(at);
		at += nextPollDelayMs(at, steadyMs, 0, middle);
	}
	return times;
}

describe('adaptive poll schedule', () => {
	test('the interval grows with the square root of the time waited, from a quarter of the Poll Interval to a fifth more than it', () => {
		const at = (seconds: number) => nextPollDelayMs(seconds * 1000, 5_000, 0, middle);

		expect([0, 2.5, 10, 40, 57.6, 600].map(at)).toEqual([1_250, 1_250, 2_500, 5_000, 6_000, 6_000]);
	});

	test('quick replies are seen within about a second: 6 polls in the first 10 s, where a 5 s loop makes 2', () => {
		expect(pollTimes(10_000)).toEqual([1_250, 2_500, 3_750, 5_281, 7_098, 9_204]);
	});

	test('a turn of 4 minutes or more costs no more polls than polling every Poll Interval', () => {
		// Shorter turns pay for the quick early polls: 18 instead of 13 for a minute.
		for (const minutes of [4, 10, 60]) {
			const loop = Math.floor((minutes * 60) / 5) + 1;
			expect(pollTimes(minutes * 60_000).length).toBeLessThanOrEqual(loop);
		}
	});

	test('a later round of a long turn goes on where the earlier ones left off, without quick polls', () => {
		expect(nextPollDelayMs(240_000, 5_000, 0, middle)).toBe(6_000);
	});

	test('many waits on one key poll at their fair share of the budget, without quick early polls', () => {
		expect(nextPollDelayMs(0, 5_000, 13_333, middle)).toBe(13_333);
		expect(nextPollDelayMs(120_000, 5_000, 13_333, middle)).toBe(13_333);
	});

	test('a key with room: the fair share does not hold back the schedule', () => {
		expect(nextPollDelayMs(0, 5_000, 2_667, middle)).toBe(1_250);
		expect(nextPollDelayMs(0, 30_000, 600, middle)).toBe(7_500);
		expect(nextPollDelayMs(3_600_000, 30_000, 600, middle)).toBe(36_000);
	});

	test('never less than a second between polls, however short the Poll Interval', () => {
		expect(nextPollDelayMs(0, 1_000, 0, middle)).toBe(1_000);
		expect(nextPollDelayMs(600_000, 1_000, 0, middle)).toBe(1_200);
	});

	test('jitter spreads waits by ±20% so they do not poll in step', () => {
		expect(nextPollDelayMs(600_000, 5_000, 0, () => 0)).toBe(4_800);
		expect(nextPollDelayMs(600_000, 5_000, 0, () => 1)).toBe(7_200);
	});

	test('the first poll: at once on an earlier turn, one step after a send, the fair share on a contended key', () => {
		expect(firstPollDelayMs(false, 5_000, 600, middle)).toBe(0);
		expect(firstPollDelayMs(true, 5_000, 600, middle)).toBe(1_250);
		expect(firstPollDelayMs(false, 5_000, 13_333, middle)).toBe(13_333);
		expect(firstPollDelayMs(true, 5_000, 13_333, middle)).toBe(13_333);
	});
});
