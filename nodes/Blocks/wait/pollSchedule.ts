/**
 * When a wait polls next. Replies often come within seconds, so a wait polls soon (at once
 * when waiting on an earlier turn, after 1 s right after sending), then backs off by half again
 * each time (1, 1.5, 2.25, 3.4 … s) up to its steady interval: the Poll Interval the user set,
 * or longer when many waits share the key's budget (each then gets its fair share of it, with
 * no quick early polls, and no first poll at once either). A ±20% jitter keeps many waits from
 * polling in step.
 */

const FIRST_INTERVAL_MS = 1_000;
const GROWTH = 1.5;
const JITTER = 0.2;

/** Whether more waits share the key's budget than it can serve at their steady interval. */
function contended(steadyIntervalMs: number, fairShareMs: number): boolean {
	return fairShareMs > steadyIntervalMs;
}

export function nextPollDelayMs(
	pollsSoFar: number,
	steadyIntervalMs: number,
	fairShareMs: number,
	random: () => number = Math.random,
): number {
	const ceiling = Math.max(steadyIntervalMs, fairShareMs);
	// When the key is shared by more waits than it can serve quickly, quick early polls would
	// only take slots from the others: go straight to the fair share.
	const planned = contended(steadyIntervalMs, fairShareMs)
		? ceiling
		: Math.min(ceiling, FIRST_INTERVAL_MS * GROWTH ** Math.max(0, pollsSoFar - 1));
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
