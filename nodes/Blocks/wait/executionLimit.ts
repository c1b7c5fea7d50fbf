import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * When n8n will stop this execution, if it says. n8n computes the time limit when an execution
 * starts (the workflow's "Timeout Workflow" setting, `executionTimeout` in seconds, or the
 * instance's EXECUTIONS_TIMEOUT, capped by EXECUTIONS_TIMEOUT_MAX), keeps it as
 * `executionTimeoutTimestamp` in the execution's additional data, and cancels the execution
 * when it passes. None of that is in the public IExecuteFunctions type, so it is read
 * defensively:
 *
 * - the timestamp, from the context's `additionalData` (n8n-core's class-based contexts, in
 *   every n8n this package supports on 2.x and late 1.x; absent on older ones);
 * - else the workflow's own setting (`getWorkflowSettings()`), counted from the earliest node
 *   start in the run data when that is readable, or else from now (then the real limit may
 *   come a little sooner than computed: the wait's margin covers that for typical workflows).
 *
 * Where neither is there, or a host stops executions by other means (n8n Cloud's plan limit),
 * the limit is unknown: docs/waiting.md says what to set.
 */
export function executionEndsAt(context: IExecuteFunctions, now: number): number | undefined {
	const known = [timestampOfTheEngine(context), fromWorkflowSetting(context, now)].filter(
		(at): at is number => at !== undefined,
	);
	return known.length ? Math.min(...known) : undefined;
}

interface ContextInternals {
	additionalData?: { executionTimeoutTimestamp?: unknown };
	runExecutionData?: {
		resultData?: { runData?: Record<string, Array<{ startTime?: unknown }> | undefined> };
	} | null;
}

function timestampOfTheEngine(context: IExecuteFunctions): number | undefined {
	const at = (context as unknown as ContextInternals).additionalData?.executionTimeoutTimestamp;
	return typeof at === 'number' && Number.isFinite(at) && at > 0 ? at : undefined;
}

function fromWorkflowSetting(context: IExecuteFunctions, now: number): number | undefined {
	let seconds: unknown;
	try {
		seconds = context.getWorkflowSettings?.()?.executionTimeout;
	} catch {
		return undefined;
	}
	if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return undefined;
	return executionStartedAt(context, now) + seconds * 1000;
}

/** The earliest start of any node run so far: when the execution began, near enough. */
function executionStartedAt(context: IExecuteFunctions, now: number): number {
	const runData = (context as unknown as ContextInternals).runExecutionData?.resultData?.runData;
	let earliest = now;
	for (const runs of Object.values(runData ?? {})) {
		for (const run of runs ?? []) {
			// n8n enters a run for a tool the AI Agent calls with `startTime: 0` before running it.
			const started = run.startTime;
			if (typeof started === 'number' && started > 0 && started < earliest) earliest = started;
		}
	}
	return earliest;
}
