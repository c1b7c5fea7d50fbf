import { waitUntil } from '../../emulator';

/**
 * Room for a condition that needs only loopback HTTP and the node's own work: a loaded 2-core
 * machine gets there in seconds; a minute means a real failure, not a slow machine.
 */
const ROOM_MS = 60_000;

/** Resolves once `probe` holds; fails the test, naming `description`, after a minute. */
export async function until(probe: () => unknown, description: string): Promise<void> {
	await waitUntil(probe, { timeoutMs: ROOM_MS, intervalMs: 10, description });
}
