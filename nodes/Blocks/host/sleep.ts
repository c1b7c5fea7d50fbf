/**
 * Read in n8n 1.123.81 (n8n-workflow 1.120.31), n8n 2.41.1 (n8n-workflow 2.41.0) and
 * n8n-workflow 2.11.1 (the engine tests' n8n-core line); checked against all three in
 * test/unit/host.test.ts.
 *
 * n8n-workflow 1.98 to 2.33 export `sleepWithAbort`; from 2.34 `sleep` itself takes the signal;
 * older ones take none. The package runs on whichever n8n-workflow the host has: with an
 * abortable sleep a cancelled execution stops at once, without one the node sleeps in slices
 * and stops within one slice.
 */

type AbortableSleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The parts of an n8n-workflow module read here. */
export interface SleepExports {
	sleep: (ms: number) => Promise<void>;
	sleepWithAbort?: AbortableSleep;
}

export interface HostSleep {
	/** n8n's sleep: it rejects or resolves early when `signal` aborts, if `sliceMs` is infinite. */
	sleep: AbortableSleep;
	/** How long one call may sleep: a sleep that ignores the signal sleeps in slices of 1 s. */
	sliceMs: number;
}

/** The abortable sleep of an n8n-workflow module, or its plain sleep taken in slices. */
export function hostSleepOf(workflow: SleepExports): HostSleep {
	const withAbort = workflow.sleepWithAbort;
	const abortable = withAbort !== undefined || workflow.sleep.length >= 2;
	return {
		sleep: withAbort ?? (workflow.sleep as AbortableSleep),
		sliceMs: abortable ? Number.POSITIVE_INFINITY : 1_000,
	};
}
