/**
 * When a wait polls next. Replies often come within seconds, so a wait polls soon (at once
 * when waiting on an earlier turn, after 1 s right after sending), then backs off by half again
 * each time (1, 1.5, 2.25, 3.4 … s) up to its steady interval: the Poll Interval the user set,
 * or longer when many waits share the key's budget (each then gets its fair share of it, with
 * no quick early polls). A ±20% jitter keeps many waits from polling in step.
 */

const FIRST_INTERVAL_MS = 1_000;
const GROWTH = 1.5;
const JITTER = 0.2;

export function nextPollDelayMs(
	pollsSoFar: number,
	steadyIntervalMs: number,
	fairShareMs: number,
	random: () => number = Math.random,
): number {
	const ceiling = Math.max(steadyIntervalMs, fairShareMs);
	// When the key is shared by more waits than it can serve quickly, quick early polls would
	// only take slots from the others: go straight to the fair share.
	const planned =
		fairShareMs > steadyIntervalMs
			? ceiling
			: Math.min(ceiling, FIRST_INTERVAL_MS * GROWTH ** Math.max(0, pollsSoFar - 1));
	return Math.round(planned * (1 - JITTER + 2 * JITTER * random()));
}
