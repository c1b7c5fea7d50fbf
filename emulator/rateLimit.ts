import type { EmulatedClock } from './clock';
import { ApiError } from './errors';

/** docs/blocks-api.md §10 and §14.1. */

export interface RateLimitSettings {
	limit: number;
	/** Window length in emulated milliseconds. */
	windowMs: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * §10: "100 requests / minute / API key", window type undocumented. A sliding window is the
 * stricter reading (no burst of 2×limit across a fixed-window boundary), so a client that
 * survives it survives either. Refused requests are not counted, so a client that keeps
 * retrying still gets through once the window frees.
 */
export class SlidingWindowLimiter {
	private readonly admittedAt = new Map<string, number[]>();

	constructor(private readonly settings: RateLimitSettings) {
		if (!(settings.limit >= 1) || !(settings.windowMs > 0)) {
			throw new RangeError(
				`rateLimit needs limit >= 1 and windowMs > 0, got ${JSON.stringify(settings)}`,
			);
		}
	}

	admit(apiKey: string, nowMs: number): RateDecision {
		const { limit, windowMs } = this.settings;
		const recent = (this.admittedAt.get(apiKey) ?? []).filter((at) => at > nowMs - windowMs);
		this.admittedAt.set(apiKey, recent);
		if (recent.length >= limit) {
			return { allowed: false, retryAfterMs: recent[0] + windowMs - nowMs };
		}
		recent.push(nowMs);
		return { allowed: true };
	}

	reset(): void {
		this.admittedAt.clear();
	}
}

/** The limit as the API applies it: a 429 for a key over its window, and a count of them. */
export class RateLimit {
	private refusals = 0;

	/**
	 * @param retryAfterSeconds Retry-After in real seconds; undefined: until the window frees
	 *   (rounded up, at least 1); null: no header, as the official notes say the live API sends (§14.1).
	 */
	constructor(
		private readonly limiter: SlidingWindowLimiter,
		private readonly clock: EmulatedClock,
		private readonly retryAfterSeconds: number | null | undefined,
	) {}

	/**
	 * Throws the 429 when `apiKey` is over its limit. Only authenticated requests get here, so a
	 * wrong key cannot spend someone else's budget.
	 */
	check(apiKey: string): void {
		const decision = this.limiter.admit(apiKey, this.clock.nowMs());
		if (decision.allowed) return;
		this.refusals += 1;
		const retryAfter =
			this.retryAfterSeconds !== undefined
				? this.retryAfterSeconds
				: Math.max(1, Math.ceil(this.clock.toRealMs(decision.retryAfterMs) / 1000));
		// §10: the message and header the official mock sends.
		throw new ApiError(
			429,
			'RATE_LIMITED',
			'Rate limit exceeded',
			retryAfter === null ? {} : { 'retry-after': String(retryAfter) },
		);
	}

	get refused(): number {
		return this.refusals;
	}

	reset(): void {
		this.limiter.reset();
		this.refusals = 0;
	}
}
