import { createHash } from 'crypto';

import { CancelledError, clock as currentClock, type Clock } from '../time';
import { MAX_SERVER_WAIT_MS } from './retryPolicy';

/**
 * One request budget per API key per n8n process. Blocks allows 100 requests per minute per key
 * (docs/blocks-api.md §10), shared by every workflow, execution and other client using that key. Every
 * request of this package takes a slot first, so a busy n8n never spends the key's limit on
 * 429s, and a share is left free for other clients of the same key.
 *
 * Processes cannot see each other's budgets (a community node may not open a shared store), so
 * the key's limit is shared out in two ways:
 * - by the setting: with `processes` n8n processes on the key (the workers of a queue-mode n8n),
 *   each budgets 1/`processes` of what is not reserved;
 * - by the 429s: additive increase, multiplicative decrease, the rule TCP shares a link by. A
 *   429 pauses the whole key for as long as Blocks asks (an exponential back-off when it does not
 *   say), cuts the rate this budget assumes to 70 %, and from then on spaces its requests
 *   evenly; the rate then grows back by a fixed number of requests per minute. Every process on
 *   the key sees 429s when together they go over the limit; each cuts its rate by the same
 *   factor and grows it back by the same step, so the gaps between them shrink with every cut
 *   and their rates meet near their fair share (test/unit/sharedKey.test.ts measures it).
 */

export interface BudgetSettings {
	requestsPerMinute: number;
	/** Share of the limit left for other clients of the key, 0 to 0.9. */
	reservedShare: number;
	/** n8n processes using the key, each budgeting its share (default 1). */
	processes?: number;
}

const WINDOW_MS = 60_000;
/** The lowest rate a run of 429s can push the budget to, as a part of its share. */
const MIN_RATE_FACTOR = 0.1;
/**
 * A 429 multiplies the assumed rate by this. 0.7 (rather than TCP's classic 0.5) keeps more of
 * the key in use after each 429; with the increase below, 2 to 4 processes on one key measured
 * 0.6 to 2.6 % of 429s and used about 90 % of its limit together (test/unit/sharedKey.test.ts).
 */
const DECREASE = 0.7;
/** The assumed rate then grows back by this part of the key’s unreserved limit per minute. */
const INCREASE_PER_WINDOW = 0.05;
const FIRST_PAUSE_MS = 1_000;
/** Requests let out at once, beyond the steady pace, while the processes setting is 1. */
const UNTRUSTED_BURST = 10;
const MAX_PAUSE_MS = 60_000;

/** A request's place in the window, dated when it was answered (see `answered`). */
export interface Slot {
	at: number;
}

interface Queued {
	grant: (slot: Slot) => void;
}

/**
 * Requests waiting for a slot, in arrival order. A request may leave from anywhere in the line
 * (cancelled, or its deadline came): it is only marked gone and skipped when the line reaches it,
 * so taking, leaving and serving cost the same with a thousand waits in line as with ten (an
 * array's search and splice, or a Set's iteration past deleted entries, cost more the longer the
 * line).
 */
class Line {
	private entries: Queued[] = [];
	private head = 0;
	private readonly waiting = new WeakSet<Queued>();
	size = 0;

	add(entry: Queued) {
		this.entries.push(entry);
		this.waiting.add(entry);
		this.size++;
	}

	delete(entry: Queued) {
		if (this.waiting.delete(entry)) this.size--;
	}

	/** The first request still waiting, taken out of the line. */
	shift(): Queued | undefined {
		while (this.head < this.entries.length) {
			const entry = this.entries[this.head++];
			if (this.waiting.delete(entry)) {
				this.size--;
				this.compact();
				return entry;
			}
		}
		this.compact();
		return undefined;
	}

	/** Drops the served part of the array once it is half of it. */
	private compact() {
		if (this.head > 64 && this.head * 2 > this.entries.length) {
			this.entries = this.entries.slice(this.head);
			this.head = 0;
		}
	}
}

export class RateBudget {
	private sent: Slot[] = [];
	private pausedUntil = 0;
	/** The rate a 429 left, requests per minute; undefined when none has since the start. */
	private rateAfter429: number | undefined;
	private penalisedAt = 0;
	private lastGrantAt = -Infinity;
	/**
	 * The steady pace's clock (GCRA's theoretical arrival time): each grant moves it on by one
	 * steady interval, from now if it lags behind. A request may go once it is at most a burst's
	 * worth of intervals ahead: a token bucket of `UNTRUSTED_BURST` requests, refilled at the pace.
	 */
	private paceAt = -Infinity;
	private rateLimitedInARow = 0;
	private activeWaits = 0;
	/** Requests waiting for a slot, sends and polls apart: sends are served first. */
	private readonly sends = new Line();
	private readonly polls = new Line();
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

	/** Requests this process may send in a minute now: its share, less any 429 penalty. */
	allowancePerMinute(): number {
		// The epsilon undoes floating-point error: 90 × 0.7 is 62.99999… in binary.
		return Math.max(1, Math.floor(this.assumedRate(this.clock.now()) + 1e-9));
	}

	/** The key's limit less the reserve: what all processes on the key may send together. */
	private keyAllowance(): number {
		const unreserved = 1 - Math.min(0.9, Math.max(0, this.settings.reservedShare));
		return this.settings.requestsPerMinute * unreserved;
	}

	/** This process's part of the key's allowance, by the processes setting. */
	private share(): number {
		const processes = Math.max(1, Math.floor(this.settings.processes ?? 1));
		return this.keyAllowance() / processes;
	}

	/**
	 * The rate assumed now, requests per minute: the share, or after a 429 the rate it left,
	 * grown back by the same number of requests a minute in every process (additive increase).
	 */
	private assumedRate(now: number): number {
		if (this.rateAfter429 === undefined) return this.share();
		const grown =
			this.rateAfter429 +
			(INCREASE_PER_WINDOW * this.keyAllowance() * (now - this.penalisedAt)) / WINDOW_MS;
		return Math.min(this.share(), grown);
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

	private get queued(): number {
		return this.sends.size + this.polls.size;
	}

	/** How long a request asked for now would wait for its slot, at the least. */
	expectedWaitMs(): number {
		return this.queued === 0 ? this.msUntilFree() : Math.max(this.msUntilFree(), 1);
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
		if (this.queued === 0 && this.msUntilFree() === 0) return this.record();
		const line = send ? this.sends : this.polls;
		const deadline = new AbortController();
		return await new Promise<Slot | undefined>((resolve, reject) => {
			const entry: Queued = {
				grant: (slot) => {
					signal.removeEventListener('abort', cancel);
					deadline.abort();
					resolve(slot);
				},
			};
			const leave = () => {
				line.delete(entry);
				// Nobody left to serve: stop the pump's sleep, so no timer outlives the executions.
				if (this.queued === 0) this.pump?.abort();
				signal.removeEventListener('abort', cancel);
			};
			const cancel = () => {
				leave();
				deadline.abort();
				reject(new CancelledError());
			};
			signal.addEventListener('abort', cancel, { once: true });
			line.add(entry);
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
		const slot: Slot = { at: this.clock.now() };
		this.lastGrantAt = slot.at;
		this.paceAt = Math.max(this.paceAt, slot.at) + WINDOW_MS / this.allowancePerMinute();
		this.sent.push(slot);
		return slot;
	}

	/**
	 * Blocks answered 429: pause the key and assume a lower rate for a while. The pause never
	 * outlasts MAX_SERVER_WAIT_MS, whatever Blocks asks: every request on the key waits it out.
	 */
	rateLimited(askedMs: number | undefined) {
		const now = this.clock.now();
		const retryAfterMs = askedMs === undefined ? undefined : Math.min(askedMs, MAX_SERVER_WAIT_MS);
		if (now < this.pausedUntil) {
			// Answers to requests sent before the pause began: the key is already backing off.
			if (retryAfterMs !== undefined)
				this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
			return;
		}
		this.rateLimitedInARow++;
		const backoff = Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (this.rateLimitedInARow - 1));
		this.pausedUntil = Math.max(this.pausedUntil, now + (retryAfterMs ?? backoff));
		this.rateAfter429 = Math.max(MIN_RATE_FACTOR * this.share(), this.assumedRate(now) * DECREASE);
		this.penalisedAt = now;
	}

	/** A request went through: the next 429 starts its back-off afresh. */
	succeeded() {
		this.rateLimitedInARow = 0;
	}

	private msUntilFree(): number {
		const now = this.clock.now();
		this.sent = this.sent.filter((slot) => slot.at > now - WINDOW_MS);
		const allowance = this.allowancePerMinute();
		const paused = Math.max(0, this.pausedUntil - now, this.pacedUntil(allowance) - now);
		// A sliding window, which also keeps within a fixed window of the same length.
		const times = this.sent.map((slot) => slot.at).sort((a, b) => a - b);
		const windowFull =
			this.sent.length < allowance ? 0 : times[times.length - allowance] + WINDOW_MS - now;
		// Whole milliseconds: a wait of a fraction of one could be too small to move a clock on.
		return Math.ceil(Math.max(paused, windowFull));
	}

	/**
	 * Once the key has answered 429, requests go out evenly spaced: a burst after a pause would
	 * meet the other processes' requests in Blocks' window and draw a burst of 429s. Before that,
	 * a budget whose processes setting cannot be trusted (left at 1, the default: in queue mode
	 * each worker then budgets the whole key) keeps to the steady pace too, with short bursts of
	 * at most `UNTRUSTED_BURST`: the workers' first creates would otherwise fill Blocks' window
	 * together. With the setting above 1, the window alone limits it.
	 */
	private pacedUntil(allowance: number): number {
		if (this.rateAfter429 !== undefined) return this.lastGrantAt + WINDOW_MS / allowance;
		if ((this.settings.processes ?? 1) > 1) return 0;
		return this.paceAt - ((UNTRUSTED_BURST - 1) * WINDOW_MS) / allowance;
	}

	/** Hands out slots to queued requests in order; runs only while someone is queued. */
	private async runPump() {
		if (this.pump) return;
		const pump = (this.pump = new AbortController());
		try {
			while (this.queued && !pump.signal.aborted) {
				const wait = this.msUntilFree();
				if (wait > 0) {
					await this.clock.sleep(wait, pump.signal).catch(() => undefined);
					continue;
				}
				(this.sends.shift() ?? this.polls.shift())?.grant(this.record());
			}
		} finally {
			this.pump = undefined;
			// A request queued while the pump was being stopped still needs serving.
			if (this.queued) void this.runPump();
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
