/** How one wait behaves, read from the node's fields (actions/shared/wait.fields.ts). */
export interface WaitSettings {
	/** 0 checks once: one poll at once, no sleep (Wait for Reply's Check Once). */
	maxWaitMs: number;
	pollIntervalMs: number;
	/**
	 * When no reply came in time: fail the item, output the `timed_out` item, or output it on the
	 * Still Working output (the node then has two outputs).
	 */
	onTimeout: OnTimeout;
	/** Total wait across the rounds of a loop, after which the item fails. */
	giveUpAfterMs: number;
	/** What the wait streams when the execution streams its response (default when not said). */
	streamProgress?: StreamProgress;
}

/** The choices of On Timeout, as saved in the node's parameters. */
export const ON_TIMEOUT_CHOICES = ['error', 'output', 'stillWorking'] as const;
type OnTimeout = (typeof ON_TIMEOUT_CHOICES)[number];

/**
 * What a wait can stream while the execution streams its response (wait/progress.ts;
 * docs/streaming.md): the agent's messages, also one-line notes of its tool calls, or nothing.
 */
export const STREAM_PROGRESS_CHOICES = ['messages', 'messagesAndToolCalls', 'off'] as const;
export type StreamProgress = (typeof STREAM_PROGRESS_CHOICES)[number];
export const DEFAULT_STREAM_PROGRESS: StreamProgress = 'messages';

/**
 * The fields' defaults, in the units the user sees. Max Wait stays under the 300 s at which n8n
 * Cloud stops every execution, with a minute to spare for the send before it and the nodes
 * after it: the default never ends in a killed execution. Longer turns are waited for in a loop
 * (docs/waiting.md, "Waiting for long turns").
 */
export const WAIT_DEFAULTS = {
	maxWaitSeconds: 240,
	pollIntervalSeconds: 5,
	giveUpAfterSeconds: 86_400,
} as const;

/** Inclusive bounds, in seconds. A turn that needs longer than a day is waited on again later. */
export const WAIT_BOUNDS = {
	maxWaitSeconds: [1, 86_400],
	pollIntervalSeconds: [1, 3_600],
	giveUpAfterSeconds: [1, 30 * 86_400],
} as const satisfies Record<keyof typeof WAIT_DEFAULTS, readonly [number, number]>;
