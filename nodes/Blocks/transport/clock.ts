import { sleepUnlessCancelled } from '../wait/sleep';

/**
 * Time as the transport and the waits see it. The node uses the real one; tests drive a manual
 * one so that pacing and back-off are checked without sleeping.
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
