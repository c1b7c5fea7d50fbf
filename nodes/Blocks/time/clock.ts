import { sleepUnlessCancelled } from './sleep';

/**
 * Time as the waits, the retries and the rate budget see it. The node always runs on the real
 * clock. The benchmark swaps in one that runs faster, together with the emulator's, so minutes
 * of agent work take seconds; unit tests drive a manual one.
 */
export interface Clock {
	now(): number;
	/** Resolves after `ms`, or throws CancelledError when `signal` aborts first. */
	sleep(ms: number, signal: AbortSignal): Promise<void>;
	random(): number;
}

export const realClock: Clock = {
	now: () => Date.now(),
	sleep: sleepUnlessCancelled,
	random: Math.random,
};

let current: Clock = realClock;

export function clock(): Clock {
	return current;
}

/** For the benchmark: every wait, retry and budget uses `replacement` until the undo is called. */
export function replaceClock(replacement: Clock): () => void {
	current = replacement;
	return () => {
		current = realClock;
	};
}
