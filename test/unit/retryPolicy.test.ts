import {
	decideRetry,
	MAX_ATTEMPTS,
	MAX_SERVER_WAIT_MS,
	RATE_LIMIT_PATIENCE_MS,
	type Outcome,
	type RetryDecision,
	type RetryPolicy,
	type RetryQuestion,
} from '../../nodes/Blocks/transport/retryPolicy';

const NOW = 1_000_000;
const read: RetryPolicy = 'idempotent';
const write: RetryPolicy = 'onlyWhenRejectedUnapplied';
const rateLimited: Outcome = { kind: 'status', status: 429 };
const serverError: Outcome = { kind: 'status', status: 503 };
const reset: Outcome = { kind: 'network', reason: 'ECONNRESET' };
const refused: Outcome = { kind: 'network', reason: 'ECONNREFUSED' };
const unreadable: Outcome = { kind: 'unreadable', status: 200 };

/** A question with its defaults: the first attempt, no deadline, a free key, mid-range jitter. */
function ask(policy: RetryPolicy, outcome: Outcome, more: Partial<RetryQuestion> = {}) {
	const first429 = outcome.kind === 'status' && outcome.status === 429;
	return decideRetry({
		policy,
		outcome,
		attempts: first429 ? { rateLimited: 1, failed: 0 } : { rateLimited: 0, failed: 1 },
		now: NOW,
		keyWaitMs: 0,
		random: () => 0.5,
		...more,
	});
}

const retryAfter = (afterMs: number): RetryDecision => ({ retry: true, afterMs });
const fail = (failure: Extract<RetryDecision, { retry: false }>['failure']): RetryDecision => ({
	retry: false,
	failure,
});

describe('the retry decision', () => {
	test.each<[string, () => RetryDecision, RetryDecision]>([
		// 429: Blocks did nothing, so reads and writes alike go again; the budget waits out the pause.
		['a read answered 429 goes again at once', () => ask(read, rateLimited), retryAfter(0)],
		['a create answered 429 goes again at once', () => ask(write, rateLimited), retryAfter(0)],
		[
			'a 429 after twenty others is still retried: 429s are bounded by time, not count',
			() => ask(write, rateLimited, { attempts: { rateLimited: 21, failed: 0 } }),
			retryAfter(0),
		],
		[
			'without a deadline a request rides out 429s for five minutes from the first',
			() =>
				ask(read, rateLimited, {
					rateLimitedSince: NOW - RATE_LIMIT_PATIENCE_MS + 1_001,
					keyWaitMs: 1_000,
				}),
			retryAfter(0),
		],
		[
			'after five minutes of 429s it fails with the rate-limit error',
			() =>
				ask(read, rateLimited, {
					rateLimitedSince: NOW - RATE_LIMIT_PATIENCE_MS + 1_000,
					keyWaitMs: 1_000,
				}),
			fail({ kind: 'answered', status: 429 }),
		],
		[
			'with a deadline a 429 is retried while the key frees up before it',
			() => ask(write, rateLimited, { retryUntil: NOW + 2_001, keyWaitMs: 2_000 }),
			retryAfter(0),
		],
		[
			'with a deadline a 429 fails when the key stays paused past it',
			() => ask(read, rateLimited, { retryUntil: NOW + 2_000, keyWaitMs: 2_000 }),
			fail({ kind: 'answered', status: 429 }),
		],

		// Reads ride out server errors, dropped connections and unreadable answers.
		[
			'a read answered 503 goes again after the back-off (1 s ceiling × jitter 0.5)',
			() => ask(read, serverError),
			retryAfter(500),
		],
		[
			'the back-off doubles with each failure',
			() => ask(read, serverError, { attempts: { rateLimited: 0, failed: 3 } }),
			retryAfter(2_000),
		],
		[
			'429s in between do not lengthen a 5xx back-off: they are counted apart',
			() => ask(read, serverError, { attempts: { rateLimited: 4, failed: 1 } }),
			retryAfter(500),
		],
		[
			'a read honours Retry-After on a 503',
			() => ask(read, { kind: 'status', status: 503, retryAfterMs: 7_000 }),
			retryAfter(7_000),
		],
		[
			'a read honours a Retry-After up to the ceiling',
			() => ask(read, { kind: 'status', status: 503, retryAfterMs: MAX_SERVER_WAIT_MS }),
			retryAfter(MAX_SERVER_WAIT_MS),
		],
		[
			'a read asked to wait an hour on a 503 fails at once, quoting the hour',
			() => ask(read, { kind: 'status', status: 503, retryAfterMs: 3_600_000 }),
			fail({ kind: 'askedTooLong', status: 503, retryAfterMs: 3_600_000 }),
		],
		[
			'a request asked to wait a day on a 429 fails at once, quoting the day',
			() => ask(write, { kind: 'status', status: 429, retryAfterMs: 86_400_000 }),
			fail({ kind: 'askedTooLong', status: 429, retryAfterMs: 86_400_000 }),
		],
		[
			'a create answered 503 with Retry-After is not retried: it may have been applied',
			() => ask(write, { kind: 'status', status: 503, retryAfterMs: 3_600_000 }),
			fail({ kind: 'mayHaveBeenApplied', reason: 'server error 503' }),
		],
		[
			'within a wait a long Retry-After is bounded by the deadline instead',
			() =>
				ask(
					read,
					{ kind: 'status', status: 503, retryAfterMs: 3_600_000 },
					{ retryUntil: NOW + 60_000 },
				),
			fail({ kind: 'answered', status: 503 }),
		],
		['a read whose connection dropped goes again', () => ask(read, reset), retryAfter(500)],
		['a read that was refused goes again', () => ask(read, refused), retryAfter(500)],
		['a read with an unreadable 2xx goes again', () => ask(read, unreadable), retryAfter(500)],
		[
			`a read fails with Blocks' answer after ${MAX_ATTEMPTS} server errors`,
			() => ask(read, serverError, { attempts: { rateLimited: 0, failed: MAX_ATTEMPTS } }),
			fail({ kind: 'answered', status: 503 }),
		],
		[
			'a read fails as unreachable after as many dropped connections',
			() => ask(read, reset, { attempts: { rateLimited: 0, failed: MAX_ATTEMPTS } }),
			fail({ kind: 'unreachable', reason: 'ECONNRESET', nothingSent: false }),
		],
		[
			'a read gives up on an unreadable answer as unreachable',
			() => ask(read, unreadable, { attempts: { rateLimited: 0, failed: MAX_ATTEMPTS } }),
			fail({ kind: 'unreachable', reason: 'unreadable 200 answer', nothingSent: false }),
		],
		[
			'a read does not sleep past its deadline',
			() =>
				ask(
					read,
					{ kind: 'status', status: 502, retryAfterMs: 5_000 },
					{ retryUntil: NOW + 4_999 },
				),
			fail({ kind: 'answered', status: 502 }),
		],
		[
			'a read retries when the delay ends right at its deadline',
			() =>
				ask(
					read,
					{ kind: 'status', status: 502, retryAfterMs: 5_000 },
					{ retryUntil: NOW + 5_000 },
				),
			retryAfter(5_000),
		],

		// Writes never repeat what Blocks may have applied.
		[
			'a create answered 5xx is not retried: it may have been applied',
			() => ask(write, serverError),
			fail({ kind: 'mayHaveBeenApplied', reason: 'server error 503' }),
		],
		[
			'a create whose connection dropped is not retried: it may have been applied',
			() => ask(write, reset),
			fail({ kind: 'mayHaveBeenApplied', reason: 'ECONNRESET' }),
		],
		[
			'a create with an unreadable 2xx was applied: not retried, and said so',
			() => ask(write, unreadable),
			fail({ kind: 'mayHaveBeenApplied', reason: 'unreadable 200 answer' }),
		],
		[
			'a refused create says nothing was sent',
			() => ask(write, refused),
			fail({ kind: 'unreachable', reason: 'ECONNREFUSED', nothingSent: true }),
		],
		[
			'a create whose host is unknown says nothing was sent',
			() => ask(write, { kind: 'network', reason: 'ENOTFOUND' }),
			fail({ kind: 'unreachable', reason: 'ENOTFOUND', nothingSent: true }),
		],
		[
			'a create whose TLS handshake failed was not sent either',
			() => ask(write, { kind: 'network', reason: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
			fail({ kind: 'unreachable', reason: 'DEPTH_ZERO_SELF_SIGNED_CERT', nothingSent: true }),
		],

		// Answers that say something about the request itself are final for everyone.
		[
			'a 404 is not retried',
			() => ask(read, { kind: 'status', status: 404 }),
			fail({ kind: 'answered', status: 404 }),
		],
		[
			'a 422 on a create is not retried',
			() => ask(write, { kind: 'status', status: 422 }),
			fail({ kind: 'answered', status: 422 }),
		],
		[
			'a 403 is not retried',
			() => ask(read, { kind: 'status', status: 403 }),
			fail({ kind: 'answered', status: 403 }),
		],
	])('%s', (_name, decide, expected) => {
		expect(decide()).toEqual(expected);
	});

	test(`a read gets ${MAX_ATTEMPTS} tries in all, backing off 1, 2, 4, 8 and 16 s at most`, () => {
		const decisions = Array.from({ length: MAX_ATTEMPTS }, (_, failedBefore) =>
			ask(read, serverError, {
				attempts: { rateLimited: 0, failed: failedBefore + 1 },
				random: () => 1,
			}),
		);
		expect(decisions).toEqual([
			...[1_000, 2_000, 4_000, 8_000, 16_000].map(retryAfter),
			fail({ kind: 'answered', status: 503 }),
		]);
	});
});
