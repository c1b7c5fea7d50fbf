import { createHash } from 'crypto';

import { CancelledError, clock as currentClock, type Clock } from '../time';

/**
 * One request budget per API key per n8n process. Blocks allows 100 requests per minute per key
 * (docs/blocks-api.md §10), shared by every workflow, execution and other client using that key. Every
 * request of this package takes a slot first, so a busy n8n never spends the key's limit on
 * 429s, and a share is left free for other clients of the same key.
 *
 * A 429 (another client used the key, or several n8n workers share it) pauses the whole key for
 * as long as Blocks asks, or for an exponential back-off when it does not say, and halves the
 * rate this budget assumes; the rate then recovers by a tenth of the limit per quiet minute.
 */

export interface BudgetSettings {
	requestsPerMinute: number;
	/** Share of the limit left for other clients of the key, 0 to 0.9. */
	reservedShare: number;
}

const WINDOW_MS = 60_000;
const MIN_RATE_FACTOR = 0.2;
const RECOVERY_PER_WINDOW = 0.1;
const FIRST_PAUSE_MS = 1_000;
const MAX_PAUSE_MS = 60_000;

/** A request's place in the window, dated when it was answered (see `answered`). */
export interface Slot {
	at: number;
}

interface Queued {
	grant: (slot: Slot) => void;
	send: boolean;
}

export class RateBudget {
	private sent: Slot[] = [];
	private pausedUntil = 0;
	private rateFactor = 1;
	private penalisedAt = 0;
	private rateLimitedInARow = 0;
	private activeWaits = 0;
	private readonly queue: Queued[] = [];
	private pump: AbortController | undefined;

	constructor(
		private settings: BudgetSettings,
		private readonly fixedClock?: Clock,
	) {}

	private get clock(): Clock {
		return this.fixedClock ?? currentClock();
	}

	update(settings: BudgetSettings) {
		this.settings = settings;
	}

	/** Requests this process may send in a minute now, after the reserve and any 429 penalty. */
	allowancePerMinute(): number {
		const recovered = this.allowanceFactor(this.clock.now());
		const share = 1 - Math.min(0.9, Math.max(0, this.settings.reservedShare));
		return Math.max(1, Math.floor(this.settings.requestsPerMinute * share * recovered));
	}

	/**
	 * The fair interval for each of the waits in flight: together they poll at the allowance.
	 * Zero when one wait could poll as often as it likes within the allowance.
	 */
	fairPollIntervalMs(): number {
		return (Math.max(1, this.activeWaits) * WINDOW_MS) / this.allowancePerMinute();
	}

	/** Counts a wait as in flight for the fair share until the returned function is called. */
	registerWait(): () => void {
		this.activeWaits++;
		let done = false;
		return () => {
			if (!done) this.activeWaits--;
			done = true;
		};
	}

	/** How long a request asked for now would wait for its slot, at the least. */
	expectedWaitMs(): number {
		return this.queue.length === 0 ? this.msUntilFree() : Math.max(this.msUntilFree(), 1);
	}

	/**
	 * Waits for a free slot and takes it. Sends (creates, follow-ups) queue ahead of polls: a late
	 * send delays a reply outright, a late poll only delays seeing it. With `notAfter`, gives up at
	 * that time (resolves undefined) rather than hold a wait past its deadline.
	 */
	async take(
		signal: AbortSignal,
		{ notAfter, send = false }: { notAfter?: number; send?: boolean } = {},
	): Promise<Slot | undefined> {
		if (signal.aborted) throw new CancelledError();
		if (this.queue.length === 0 && this.msUntilFree() === 0) return this.record();
		const deadline = new AbortController();
		return await new Promise<Slot | undefined>((resolve, reject) => {
			const entry: Queued = {
				send,
				grant: (slot) => {
					signal.removeEventListener('abort', cancel);
					deadline.abort();
					resolve(slot);
				},
			};
			const leave = () => {
				const index = this.queue.indexOf(entry);
				if (index >= 0) this.queue.splice(index, 1);
				// Nobody left to serve: stop the pump's sleep, so no timer outlives the executions.
				if (this.queue.length === 0) this.pump?.abort();
				signal.removeEventListener('abort', cancel);
			};
			const cancel = () => {
				leave();
				deadline.abort();
				reject(new CancelledError());
			};
			signal.addEventListener('abort', cancel, { once: true });
			const firstPoll = this.queue.findIndex((queued) => !queued.send);
			if (send && firstPoll >= 0) this.queue.splice(firstPoll, 0, entry);
			else this.queue.push(entry);
			void this.runPump();
			if (notAfter !== undefined) {
				this.clock.sleep(Math.max(0, notAfter - this.clock.now()), deadline.signal).then(
					() => {
						leave();
						resolve(undefined);
					},
					() => undefined,
				);
			}
		});
	}

	/**
	 * Blocks counts a request when it arrives, the budget when it is granted; a request held up
	 * on its way would then count in a later window at Blocks than here. Dating the slot again
	 * when the answer comes keeps the budget's count at or above Blocks' own.
	 */
	answered(slot: Slot) {
		slot.at = Math.max(slot.at, this.clock.now());
	}

	private record(): Slot {
		const slot = { at: this.clock.now() };
		this.sent.push(slot);
		return slot;
	}

	/** Blocks answered 429: pause the key and assume a lower rate for a while. */
	rateLimited(retryAfterMs: number | undefined) {
		const now = this.clock.now();
		if (now < this.pausedUntil) {
			// Answers to requests sent before the pause began: the key is already backing off.
			if (retryAfterMs !== undefined)
				this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
			return;
		}
		this.rateLimitedInARow++;
		const backoff = Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (this.rateLimitedInARow - 1));
		this.pausedUntil = Math.max(this.pausedUntil, now + (retryAfterMs ?? backoff));
		this.rateFactor = Math.max(MIN_RATE_FACTOR, this.allowanceFactor(now) / 2);
		this.penalisedAt = now;
	}

	/** A request went through: the next 429 starts its back-off afresh. */
	succeeded() {
		this.rateLimitedInARow = 0;
	}

	/** The share of the allowance assumed now: halved by a 429, recovering a tenth a minute. */
	private allowanceFactor(now: number): number {
		return Math.min(
			1,
			this.rateFactor + (RECOVERY_PER_WINDOW * (now - this.penalisedAt)) / WINDOW_MS,
		);
	}

	private msUntilFree(): number {
		const now = this.clock.now();
		this.sent = this.sent.filter((slot) => slot.at > now - WINDOW_MS);
		const paused = Math.max(0, this.pausedUntil - now);
		// A sliding window, which also keeps within a fixed window of the same length.
		const allowance = this.allowancePerMinute();
		if (this.sent.length < allowance) return paused;
		const times = this.sent.map((slot) => slot.at).sort((a, b) => a - b);
		return Math.max(paused, times[times.length - allowance] + WINDOW_MS - now);
	}

	/** Hands out slots to queued requests in order; runs only while someone is queued. */
	private async runPump() {
		if (this.pump) return;
		const pump = (this.pump = new AbortController());
		try {
			while (this.queue.length && !pump.signal.aborted) {
				const wait = this.msUntilFree();
				if (wait > 0) {
					await this.clock.sleep(wait, pump.signal).catch(() => undefined);
					continue;
				}
				this.queue.shift()?.grant(this.record());
			}
		} finally {
			this.pump = undefined;
			// A request queued while the pump was being stopped still needs serving.
			if (this.queue.length) void this.runPump();
		}
	}
}

const budgets = new Map<string, RateBudget>();

/** The budget of one key at one base URL; the key itself is only kept as a hash. */
export function budgetFor(apiKey: string, baseUrl: string, settings: BudgetSettings): RateBudget {
	const id = createHash('sha256').update(`${baseUrl}\n${apiKey}`).digest('hex');
	let budget = budgets.get(id);
	if (!budget) {
		budget = new RateBudget(settings);
		budgets.set(id, budget);
	} else {
		budget.update(settings);
	}
	return budget;
}
