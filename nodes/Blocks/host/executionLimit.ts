import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * Read in n8n 1.123.81 and n8n 2.41.1 (packages/cli workflow-runner.ts, scaling/job-processor.ts,
 * wait-tracker.ts; @n8n/db's execution repository; n8n-core's workflow-execute.ts); checked
 * against both in test/unit/executionLimit.test.ts and, in real n8n, by the e2e scenario
 * timeLimitLoop.ts and the queue suite's time-limit turn.
 *
 * When n8n will stop this execution, if it says. n8n takes the limit from the workflow's
 * "Timeout Workflow" (`executionTimeout`, seconds) or the instance's EXECUTIONS_TIMEOUT, capped by
 * EXECUTIONS_TIMEOUT_MAX, and counts it differently after an execution parked in its Wait node
 * resumes:
 *
 * - Each run of the execution (the first, and each resume) gets `executionTimeoutTimestamp` =
 *   that run's start + the limit, in its additional data. The engine checks it between nodes;
 *   a queue-mode worker also cancels the run when it passes (2.41; 1.123 only checks between
 *   nodes). In queue mode that is the whole rule: every resumed run has the limit afresh.
 * - In regular mode the main process also cancels the run at the execution's `startedAt` + the
 *   limit, parked time included: from the execution's first start in 2.41, from the start of the
 *   run that parked in 1.123 (it rewrites `startedAt` on every run). A resume that finds that
 *   time passed is cancelled at once, before any node runs.
 *
 * A node cannot see which mode it runs in, nor `startedAt`. So the limit is counted from the
 * earliest node start in the run data (the execution's first start, near enough) while that is
 * still ahead: right for regular mode on 2.41, never later than n8n's stop in any mode. Once it
 * has passed, the execution cannot be in regular mode on 2.41 (it would have been cancelled),
 * and the run's own timestamp is the limit: right in queue mode. Left over: regular mode on 1.123
 * past the first start's limit, where the true limit (the start of the run that parked) is not in
 * the run data, and a limit set for the instance only (EXECUTIONS_TIMEOUT), whose length a node
 * cannot read, so that after a resume only the run's own timestamp is known. The docs say to keep
 * the limit above the whole loop in regular mode.
 *
 * None of this is in the public IExecuteFunctions type, so it is read defensively; where neither
 * the timestamp nor the workflow's setting is there, or a host stops executions by other means
 * (n8n Cloud's plan limit), the limit is unknown.
 */
export function executionEndsAt(context: IExecuteFunctions, now: number): number | undefined {
	const ofThisRun = timestampOfTheEngine(context);
	const seconds = workflowTimeoutSeconds(context);
	const firstStart = executionStartedAt(context);
	if (seconds === undefined) return ofThisRun;
	const fromFirstStart = (firstStart ?? now) + seconds * 1000;
	if (ofThisRun === undefined) return fromFirstStart;
	return fromFirstStart > now ? Math.min(fromFirstStart, ofThisRun) : ofThisRun;
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

function workflowTimeoutSeconds(context: IExecuteFunctions): number | undefined {
	let seconds: unknown;
	try {
		seconds = context.getWorkflowSettings?.()?.executionTimeout;
	} catch {
		return undefined;
	}
	return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
		? seconds
		: undefined;
}

/** The earliest start of any node run so far: when the execution began, near enough. */
function executionStartedAt(context: IExecuteFunctions): number | undefined {
	const runData = (context as unknown as ContextInternals).runExecutionData?.resultData?.runData;
	let earliest: number | undefined;
	for (const runs of Object.values(runData ?? {})) {
		for (const run of runs ?? []) {
			// n8n enters a run for a tool the AI Agent calls with `startTime: 0` before running it.
			const started = run.startTime;
			if (
				typeof started === 'number' &&
				started > 0 &&
				(earliest === undefined || started < earliest)
			)
				earliest = started;
		}
	}
	return earliest;
}
