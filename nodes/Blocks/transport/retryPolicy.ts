/**
 * When a failed request may be sent again. The API has no idempotency key (docs/blocks-api.md
 * §11), so a POST that may have reached Blocks is never repeated: a second create starts a
 * second session, a second follow-up interrupts the agent twice.
 */
export type RetryPolicy =
	/** Reads: repeat on 429, 5xx, time-outs, dropped connections and unreadable answers. */
	| 'idempotent'
	/** Creates and follow-ups: repeat only on 429, which Blocks answers before doing anything. */
	| 'onlyWhenRejectedUnapplied';

/** What one attempt came back with, when it was not a readable success. */
export type Outcome =
	/** Blocks answered with a status other than 2xx; `retryAfterMs` is its Retry-After, if any. */
	| { kind: 'status'; status: number; retryAfterMs?: number }
	/** A 2xx whose body is not JSON: a proxy's page, a truncated answer. */
	| { kind: 'unreadable'; status: number }
	/** No HTTP answer: `reason` is a short code such as ECONNRESET or ETIMEDOUT. */
	| { kind: 'network'; reason: string }
	/**
	 * A web page where Blocks answers with JSON (a 2xx or 404 in HTML): the Base URL points at a
	 * site, not the API. Final: asking again gets the same page.
	 */
	| { kind: 'notBlocks'; status: number };

/**
 * Attempts so far, this one included, by kind. 429s are bounded by time (the key's pause and the
 * request's patience), the others by count: kept apart, a burst of 429s never uses up the tries
 * a 5xx gets, and a 5xx never shortens a request's patience with a busy key.
 */
export interface Attempts {
	rateLimited: number;
	failed: number;
}

export interface RetryQuestion {
	policy: RetryPolicy;
	outcome: Outcome;
	attempts: Attempts;
	now: number;
	/** Epoch ms after which no retry is started (a wait's own deadline), if the request has one. */
	retryUntil?: number;
	/** When this request was first answered 429, if it was. */
	rateLimitedSince?: number;
	/** How long the key's budget will hold the next attempt (it waits out a 429's pause). */
	keyWaitMs: number;
	random: () => number;
}

/** Why a request failed for good, which decides what the user is told. */
export type Failure =
	/** Blocks answered; its status, code and message say what went wrong. */
	| { kind: 'answered'; status: number }
	/** Something else answered at the Base URL: a web page, not the API. */
	| { kind: 'notBlocks'; status: number }
	/** Blocks asked for a pause (Retry-After) longer than MAX_SERVER_WAIT_MS, with no deadline. */
	| { kind: 'askedTooLong'; status: number; retryAfterMs: number }
	/** A create or follow-up got no usable answer: Blocks may have applied it. */
	| { kind: 'mayHaveBeenApplied'; reason: string }
	/** No usable answer to a read, or a request that never left (nothing was sent). */
	| { kind: 'unreachable'; reason: string; nothingSent: boolean };

export type RetryDecision = { retry: true; afterMs: number } | { retry: false; failure: Failure };

export const MAX_ATTEMPTS = 6;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

/**
 * The longest pause Blocks may ask for (Retry-After on a 429 or 5xx) that the node waits out
 * without a deadline of its own. A longer one fails the item at once, quoting it; the key-wide
 * pause after a 429 never lasts longer (rateBudget.ts). A wait is bounded by its own deadline.
 */
export const MAX_SERVER_WAIT_MS = 2 * 60_000;

/** How long a request without a deadline of its own keeps trying through 429s. */
export const RATE_LIMIT_PATIENCE_MS = 5 * 60_000;

/**
 * Failures before any byte of the request left n8n: no connection (refused, unreachable), no
 * address (DNS), or a TLS handshake that failed, which happens before the request is written.
 */
const NEVER_SENT = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'EPROTO',
]);
/** Node's TLS failures: certificate checks (…_CERT…, …SIGNATURE) and ERR_SSL_/ERR_TLS_ codes. */
const TLS_FAILURE = /CERT|SIGNATURE|^ERR_(SSL|TLS)_/;

function neverSent(reason: string): boolean {
	return NEVER_SENT.has(reason) || TLS_FAILURE.test(reason);
}

/**
 * The whole retry rule, as one pure function. A 429 means Blocks did nothing, so any request may
 * be sent again: until its deadline, or for a few minutes, so a busy key slows items down rather
 * than failing them (the budget then holds the next attempt for the pause Blocks asked for).
 * Reads also ride out server errors, dropped connections and unreadable answers, up to
 * MAX_ATTEMPTS, honouring Retry-After. Writes never repeat anything Blocks may have applied.
 */
export function decideRetry(question: RetryQuestion): RetryDecision {
	const { policy, outcome, attempts, now, retryUntil } = question;

	const rateLimited = outcome.kind === 'status' && outcome.status === 429;

	// A pause Blocks asks for is waited out only within a bound: the deadline, or the ceiling.
	if (
		outcome.kind === 'status' &&
		outcome.retryAfterMs !== undefined &&
		outcome.retryAfterMs > MAX_SERVER_WAIT_MS &&
		retryUntil === undefined &&
		(rateLimited || isRetryable(policy, outcome))
	) {
		const { status, retryAfterMs } = outcome;
		return { retry: false, failure: { kind: 'askedTooLong', status, retryAfterMs } };
	}

	if (rateLimited) {
		const giveUpAt = retryUntil ?? (question.rateLimitedSince ?? now) + RATE_LIMIT_PATIENCE_MS;
		return now + question.keyWaitMs < giveUpAt
			? { retry: true, afterMs: 0 }
			: { retry: false, failure: { kind: 'answered', status: 429 } };
	}

	const failure = failureOf(policy, outcome);
	if (!isRetryable(policy, outcome) || attempts.failed >= MAX_ATTEMPTS)
		return { retry: false, failure };
	const afterMs =
		(outcome.kind === 'status' ? outcome.retryAfterMs : undefined) ??
		backoffDelayMs(attempts.failed - 1, question.random);
	if (retryUntil !== undefined && now + afterMs > retryUntil) return { retry: false, failure };
	return { retry: true, afterMs };
}

/** Failures other than 429 that a request may be sent again after. */
function isRetryable(policy: RetryPolicy, outcome: Outcome): boolean {
	if (outcome.kind === 'notBlocks') return false;
	return policy === 'idempotent' && (outcome.kind !== 'status' || outcome.status >= 500);
}

function failureOf(policy: RetryPolicy, outcome: Outcome): Failure {
	const write = policy === 'onlyWhenRejectedUnapplied';
	switch (outcome.kind) {
		case 'notBlocks':
			return outcome;
		case 'status':
			return write && outcome.status >= 500
				? { kind: 'mayHaveBeenApplied', reason: `server error ${outcome.status}` }
				: { kind: 'answered', status: outcome.status };
		case 'unreadable': {
			const reason = `unreadable ${outcome.status} answer`;
			// It was answered 2xx: a write was applied, so say so rather than guess.
			return write
				? { kind: 'mayHaveBeenApplied', reason }
				: { kind: 'unreachable', reason, nothingSent: false };
		}
		case 'network': {
			const nothingSent = neverSent(outcome.reason);
			return write && !nothingSent
				? { kind: 'mayHaveBeenApplied', reason: outcome.reason }
				: { kind: 'unreachable', reason: outcome.reason, nothingSent };
		}
	}
}

/** Full-jitter exponential backoff (1 s base, 30 s cap), as the official client does (§10). */
function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
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
