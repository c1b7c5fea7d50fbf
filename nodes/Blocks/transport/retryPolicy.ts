/**
 * When a failed request may be sent again. The API has no idempotency key (contract §11), so
 * a POST that may have reached Blocks is never repeated: a second create starts a second
 * session, a second follow-up interrupts the agent twice.
 */
export type RetryPolicy =
	/** Reads: repeat on 429, 5xx, time-outs and dropped connections. */
	| 'idempotent'
	/** Creates and follow-ups: repeat only on 429, which Blocks answers before doing anything. */
	| 'onlyWhenRejectedUnapplied';

export const MAX_ATTEMPTS = 6;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

/** 5xx answers are retried for reads only (429s are handled by the rate budget for all). */
export function isRetryableServerError(status: number, policy: RetryPolicy): boolean {
	return policy === 'idempotent' && status >= 500;
}

/** Full-jitter exponential backoff (1 s base, 30 s cap), as the official client does (§10). */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
	const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
	return Math.max(100, Math.round(random() * ceiling));
}

/**
 * `Retry-After` in seconds or as an HTTP date (RFC 9110). Blocks does not document the header
 * (§14.1): honour it when present, ignore it when unreadable.
 */
export function parseRetryAfterMs(value: unknown, now: number = Date.now()): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string' && typeof text !== 'number') return undefined;
	const raw = String(text).trim();
	if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
	const date = Date.parse(raw);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}
