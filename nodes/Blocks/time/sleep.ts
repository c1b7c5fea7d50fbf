import * as workflow from 'n8n-workflow';

import { hostSleepOf } from '../host/sleep';
import { CancelledError } from './cancelled';

/** The host's n8n sleep, abortable or in slices (host/sleep.ts). */
const { sleep: sleepOnce, sliceMs: SLICE_MS } = hostSleepOf(workflow);

/**
 * n8n's abortable sleep leaves its listener on the signal it is given. Give it a signal of its
 * own for each sleep, so thousands of polls add nothing to the execution's signal.
 */
async function sleepSlice(ms: number, signal: AbortSignal): Promise<void> {
	const slice = new AbortController();
	const forward = () => slice.abort();
	signal.addEventListener('abort', forward, { once: true });
	try {
		// It rejects only when the slice is aborted; the caller reads the signal after it.
		await sleepOnce(ms, slice.signal).catch(() => undefined);
	} finally {
		signal.removeEventListener('abort', forward);
	}
}

/** Sleeps `ms`, or less if `signal` aborts, in which case it throws `CancelledError`. */
export async function sleepUnlessCancelled(ms: number, signal: AbortSignal): Promise<void> {
	const end = Date.now() + ms;
	for (let left = ms; left > 0; left = end - Date.now()) {
		if (signal.aborted) throw new CancelledError();
		await sleepSlice(Math.min(left, SLICE_MS), signal);
	}
	if (signal.aborted) throw new CancelledError();
}
