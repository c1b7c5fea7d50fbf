import type { IExecuteFunctions } from 'n8n-workflow';

export const NOW = 1_000_000;

/** Just the parts of an execution context n8n uses to say when the execution will be stopped. */
export function context(parts: {
	timestamp?: unknown;
	executionTimeout?: unknown;
	startTimes?: number[];
	noSettings?: boolean;
}): IExecuteFunctions {
	return {
		additionalData: { executionTimeoutTimestamp: parts.timestamp },
		runExecutionData: {
			resultData: {
				runData: { Start: (parts.startTimes ?? []).map((startTime) => ({ startTime })) },
			},
		},
		getWorkflowSettings: parts.noSettings
			? undefined
			: () => ({ executionTimeout: parts.executionTimeout }),
	} as unknown as IExecuteFunctions;
}
