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
