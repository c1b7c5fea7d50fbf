import { clock } from '../time';

/** How one wait behaves, read from the node's fields (actions/shared/wait.fields.ts). */
export interface WaitSettings {
	maxWaitMs: number;
	pollIntervalMs: number;
	onTimeout: 'error' | 'output';
}

/** The fields' defaults, in the units the user sees. */
export const WAIT_DEFAULTS = {
	maxWaitSeconds: 600,
	pollIntervalSeconds: 5,
} as const;

/** Inclusive bounds, in seconds. A turn that needs longer than a day is waited on again later. */
export const WAIT_BOUNDS = {
	maxWaitSeconds: [1, 86_400],
	pollIntervalSeconds: [1, 3_600],
} as const satisfies Record<string, readonly [number, number]>;

/** When a wait that starts now must end; a send that will be waited on retries until then. */
export function waitDeadline(settings: WaitSettings, startedAt: number = clock().now()): number {
	return startedAt + settings.maxWaitMs;
}
