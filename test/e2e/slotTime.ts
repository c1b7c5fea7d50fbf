/**
 * Execution slots, read from n8n's own records of an execution: each node run's `startTime` and
 * `executionTime` in its run data (the same in `n8n start` and in queue mode). An execution holds
 * a slot while it runs, and none while n8n's Wait node keeps it parked in the database: its node
 * runs fall into one stretch per start or resume, split where it was parked.
 */

/** A node's run as n8n records it: when it started and how long it ran (ms). */
export interface TimedNodeRun {
	startTime?: number;
	executionTime?: number;
}

interface HeldStretch {
	start: number;
	end: number;
}

/**
 * The least gap between two node runs that means the execution was parked: n8n parks only for
 * waits of at least 65 s, while the nodes of one run follow each other within milliseconds (or
 * a few seconds on a busy machine).
 */
const PARKED_GAP_MS = 30_000;

/** The stretches the execution held a slot: one for its start and one per resume, in order. */
function heldStretches(runData: Record<string, TimedNodeRun[] | undefined>): HeldStretch[] {
	const runs = Object.values(runData)
		.flatMap((nodeRuns) => nodeRuns ?? [])
		.filter((run) => typeof run.startTime === 'number' && run.startTime > 0)
		.map((run) => ({ start: run.startTime!, end: run.startTime! + (run.executionTime ?? 0) }))
		.sort((a, b) => a.start - b.start);
	const stretches: HeldStretch[] = [];
	for (const run of runs) {
		const last = stretches[stretches.length - 1];
		if (last && run.start - last.end < PARKED_GAP_MS) last.end = Math.max(last.end, run.end);
		else stretches.push({ ...run });
	}
	return stretches;
}

export interface SlotUse {
	/** Slot-seconds: the stretches' total, in seconds. */
	heldSeconds: number;
	/** From the execution's first node start to its last node end, in seconds. */
	turnSeconds: number;
	/** heldSeconds ÷ turnSeconds. */
	share: number;
	/** Each stretch's length in seconds, in order: the start, then each resume. */
	stretchSeconds: number[];
}

export function slotUse(runData: Record<string, TimedNodeRun[] | undefined>): SlotUse {
	const stretches = heldStretches(runData);
	const stretchSeconds = stretches.map((s) => (s.end - s.start) / 1000);
	const heldSeconds = stretchSeconds.reduce((sum, s) => sum + s, 0);
	const turnSeconds = stretches.length
		? (stretches[stretches.length - 1].end - stretches[0].start) / 1000
		: 0;
	return {
		heldSeconds,
		turnSeconds,
		share: turnSeconds ? heldSeconds / turnSeconds : 0,
		stretchSeconds,
	};
}

/** "12.3 s of 201.5 s (6.1 %), in 4 stretches: 2.4, 0.3, 0.3, 0.4 s". */
export function describeSlotUse(use: SlotUse): string {
	const s = (x: number) => x.toFixed(1);
	return (
		`${s(use.heldSeconds)} s of ${s(use.turnSeconds)} s (${(use.share * 100).toFixed(1)} %), ` +
		`in ${use.stretchSeconds.length} stretches: ${use.stretchSeconds.map((x) => x.toFixed(2)).join(', ')} s`
	);
}
