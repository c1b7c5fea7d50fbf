import * as workflow from 'n8n-workflow';

import { CancelledError } from './cancelled';

type AbortableSleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * n8n-workflow 1.98 to 2.33 export `sleepWithAbort`; from 2.34 `sleep` itself takes the signal;
 * older ones take none. The package runs on whichever n8n-workflow the host has: with an
 * abortable sleep a cancelled execution stops at once, without one the node sleeps in slices
 * and stops within one slice.
 */
const withAbort = (workflow as { sleepWithAbort?: AbortableSleep }).sleepWithAbort;
const sleepOnce: AbortableSleep = withAbort ?? (workflow.sleep as AbortableSleep);
const SLICE_MS = withAbort || workflow.sleep.length >= 2 ? Number.POSITIVE_INFINITY : 1_000;

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
