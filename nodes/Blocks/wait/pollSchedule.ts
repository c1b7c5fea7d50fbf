/**
 * When a wait polls next. Agent turns take anything from seconds to many minutes, and a reply is
 * about as likely to come between 2 and 10 s as between 20 and 100 s; so the time between polls
 * grows with the square root of the time the turn has been waited on: a quarter of the Poll
 * Interval at first (1.25 s at 5 s), the Poll Interval itself after 40 s, and a fifth more than
 * it (6 s) from about a minute on. Quick replies are seen within a second or so; the quick early
 * polls are paid back by the wider later ones, so a turn of 4 minutes or more costs no more
 * requests than polling every Poll Interval would (test/unit/pollSchedule.test.ts).
 *
 * That is while the key has room: its idle budget is there to be used. When more waits share
 * the key than it can serve at their Poll Interval, each polls at its fair share of the key's
 * allowance instead (rateBudget.ts), with no quick early polls and no first poll at once either:
 * they would only take slots from the others. A ±20% jitter keeps many waits from polling in step.
 */

/** The first interval, as a part of the Poll Interval, and never under a second. */
const FIRST_SHARE = 0.25;
const MIN_INTERVAL_MS = 1_000;
/** The widest interval, as a multiple of the Poll Interval. */
const LAST_FACTOR = 1.2;
/**
 * interval² = waited × Poll Interval ÷ GROWTH: the interval reaches the Poll Interval once the
 * turn has been waited on GROWTH Poll Intervals (40 s at 5 s).
 */
const GROWTH = 8;
const JITTER = 0.2;

/** Whether more waits share the key's budget than it can serve at their steady interval. */
function contended(steadyIntervalMs: number, fairShareMs: number): boolean {
	return fairShareMs > steadyIntervalMs;
}

/** The interval before jitter for a turn waited on for `waitedMs` so far. */
function plannedIntervalMs(waitedMs: number, steadyIntervalMs: number): number {
	const first = Math.max(MIN_INTERVAL_MS, FIRST_SHARE * steadyIntervalMs);
	const last = Math.max(first, LAST_FACTOR * steadyIntervalMs);
	const grown = Math.sqrt((Math.max(0, waitedMs) * steadyIntervalMs) / GROWTH);
	return Math.min(last, Math.max(first, grown));
}

/** The sleep before the next poll of a turn waited on for `waitedMs` (earlier rounds included). */
export function nextPollDelayMs(
	waitedMs: number,
	steadyIntervalMs: number,
	fairShareMs: number,
	random: () => number = Math.random,
): number {
	const scheduled = plannedIntervalMs(waitedMs, steadyIntervalMs);
	const planned = contended(steadyIntervalMs, fairShareMs)
		? Math.max(fairShareMs, scheduled)
		: scheduled;
	return Math.round(planned * (1 - JITTER + 2 * JITTER * random()));
}

/**
 * How long a wait sleeps before its first poll: one step after a send, whose reply cannot be
 * there yet; otherwise none, unless the key is contended. Then the first poll waits its fair
 * share too: the waits a node starts together (its items) each see one more wait in flight, so
 * their first polls spread out at the key's allowance instead of landing in its window at once,
 * where with several n8n processes on one key they would draw a burst of 429s.
 */
export function firstPollDelayMs(
	justSent: boolean,
	steadyIntervalMs: number,
	fairShareMs: number,
	random: () => number = Math.random,
): number {
	if (!justSent && !contended(steadyIntervalMs, fairShareMs)) return 0;
	return nextPollDelayMs(0, steadyIntervalMs, fairShareMs, random);
}
