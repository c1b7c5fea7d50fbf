/** Waiting on a condition, never sleeping: `waitUntil` for the emulator in the test's own process, `until` with room for a loaded machine. */
import { pollUntil } from './pollUntil';

export interface WaitOptions {
	/** Default 5 s. */
	timeoutMs?: number;
	/** Default 5 ms: the emulator runs in the test's own process. */
	intervalMs?: number;
	/** Named in the timeout error. */
	description?: string;
}

/** Resolves with the first truthy value `probe` returns; rejects after `timeoutMs`. */
export function waitUntil<T>(probe: () => T | Promise<T>, options: WaitOptions = {}) {
	return pollUntil(probe, {
		timeoutMs: options.timeoutMs ?? 5_000,
		intervalMs: options.intervalMs ?? 5,
		description: options.description ?? 'condition',
	});
}

/**
 * Room for a condition that needs only loopback HTTP and the node's own work: a loaded 2-core
 * machine gets there in seconds; a minute means a real failure, not a slow machine.
 */
const ROOM_MS = 60_000;

/** Resolves once `probe` holds; fails the test, naming `description`, after a minute. */
export async function until(probe: () => unknown, description: string): Promise<void> {
	await waitUntil(probe, { timeoutMs: ROOM_MS, intervalMs: 10, description });
}
