/**
 * The one "poll until" loop of the tooling (tests, the e2e suite, the dev editor, scripts): ask a
 * question again and again until it has an answer, instead of sleeping and hoping.
 */

export interface PollOptions {
	/** How long to keep asking; the last wait is cut so no probe starts after it. */
	timeoutMs: number;
	/** Pause between probes. */
	intervalMs: number;
	/** What is awaited, named in the time-out error. */
	description: string;
	/**
	 * A probe that throws means "not yet" (e.g. a server still refusing connections); the last
	 * error is quoted in the time-out error. Off by default: a throwing probe ends the wait.
	 */
	errorsMeanNotYet?: boolean;
	/** Ends the wait early with this reason, e.g. when the awaited process exited. */
	abort?: Promise<string>;
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** Resolves with the first truthy value `probe` returns; rejects once `timeoutMs` has passed. */
export async function pollUntil<T>(
	probe: () => T | Promise<T>,
	options: PollOptions,
): Promise<Truthy<T>> {
	const { timeoutMs, intervalMs, description } = options;
	const deadline = Date.now() + timeoutMs;
	let aborted: string | undefined;
	let wake: (() => void) | undefined;
	void options.abort?.then((reason) => {
		aborted = reason;
		wake?.();
	});
	let lastError = '';
	for (;;) {
		if (aborted !== undefined) throw new Error(`${description}: ${aborted}`);
		try {
			const value = await probe();
			if (value) return value as Truthy<T>;
		} catch (error) {
			if (!options.errorsMeanNotYet) throw error;
			lastError = error instanceof Error ? error.message : String(error);
		}
		const left = deadline - Date.now();
		if (left <= 0) {
			throw new Error(
				`Timed out after ${timeoutMs} ms waiting for ${description}${lastError ? ` (last error: ${lastError})` : ''}`,
			);
		}
		await new Promise<void>((resolve) => {
			if (aborted !== undefined) return resolve();
			const timer = setTimeout(resolve, Math.min(intervalMs, left));
			wake = () => {
				clearTimeout(timer);
				resolve();
			};
		});
		wake = undefined;
	}
}
