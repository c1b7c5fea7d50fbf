import { SlidingWindowLimiter } from '../../emulator/rateLimit';
import { RateBudget, type BudgetSettings } from '../../nodes/Blocks/transport/rateBudget';
import { firstPollDelayMs, nextPollDelayMs } from '../../nodes/Blocks/wait/pollSchedule';
import { SeededRandom } from '../bench/prng';
import type { ManualClock } from '../support/manualClock';

/**
 * Several n8n processes on one key, simulated on a manual clock: each has its own budget (as each
 * worker of an n8n in queue mode has) and the same number of waits, which poll on the node's own
 * schedule (`nextPollDelayMs` with the budget's fair interval) for replies that never come; the
 * key is the emulator's sliding-window limiter. More waits than the key can serve quickly keep
 * every budget at its allowance, so what this measures is how the budgets share the key.
 */
export interface SharedKeyRun {
	/** Requests each process sent, and how many of them Blocks answered 429. */
	perProcess: Array<{ sent: number; rateLimited: number }>;
	/** Answered (not 429) requests of each process per simulated minute, oldest first. */
	admittedPerMinute: number[][];
}

export interface SharedKeyOptions {
	clock: ManualClock;
	processes: number;
	minutes: number;
	settings: BudgetSettings;
	/** Blocks' limit for the key, per minute. */
	limit?: number;
	/** Concurrent requests each process keeps in flight (its waits). */
	waitsPerProcess?: number;
	/** How long Blocks takes to answer. */
	latencyMs?: number;
	/** Minutes after the start at which each process starts (default: all at 0). */
	startMinute?: (process: number) => number;
	/**
	 * Each wait first creates its session (a send), then waits as a Wait for Reply node after
	 * Create Session does: its first poll follows `firstPollDelayMs` (not just sent).
	 */
	createFirst?: boolean;
	seed?: number;
}

const MINUTE = 60_000;

export async function simulateSharedKey(options: SharedKeyOptions): Promise<SharedKeyRun> {
	const {
		clock,
		processes,
		minutes,
		settings,
		limit = 100,
		waitsPerProcess = 40,
		latencyMs = 150,
	} = options;
	const key = new SlidingWindowLimiter({ limit, windowMs: MINUTE });
	const origin = clock.now();
	const end = origin + minutes * MINUTE;
	// One signal per wait, as each wait of the node has its own.
	const stops: AbortController[] = [];
	const perProcess = Array.from({ length: processes }, () => ({ sent: 0, rateLimited: 0 }));
	const admittedPerMinute = Array.from({ length: processes }, () =>
		Array.from({ length: minutes }, () => 0),
	);

	const random = new SeededRandom(options.seed ?? 1).next;

	const wait = async (process: number, budget: RateBudget) => {
		const stop = new AbortController();
		stops.push(stop);
		const startAt = origin + (options.startMinute?.(process) ?? 0) * MINUTE;
		if (clock.now() < startAt) await clock.sleep(startAt - clock.now(), stop.signal);
		// A Wait for Reply node's wait counts in the fair share from when it starts: after the create.
		if (options.createFirst !== true) budget.registerWait();
		for (let polls = 0; clock.now() < end; polls++) {
			const sending = options.createFirst === true && polls === 0;
			if (options.createFirst === true && polls === 1) {
				budget.registerWait();
				const delay = firstPollDelayMs(false, 5_000, budget.fairPollIntervalMs(), random);
				if (delay > 0) await clock.sleep(delay, stop.signal);
			} else if (!sending) {
				const waited = clock.now() - startAt;
				const delay = nextPollDelayMs(waited, 5_000, budget.fairPollIntervalMs(), random);
				await clock.sleep(delay, stop.signal);
			}
			const slot = await budget.take(stop.signal, { send: sending });
			if (!slot) continue;
			// The request arrives at Blocks half way, the answer comes back after the other half.
			await clock.sleep(latencyMs / 2, stop.signal);
			const decision = key.admit('key', clock.now());
			const minute = Math.floor((clock.now() - origin) / MINUTE);
			await clock.sleep(latencyMs / 2, stop.signal);
			budget.answered(slot);
			perProcess[process].sent++;
			if (decision.allowed) {
				budget.succeeded();
				if (minute < minutes) admittedPerMinute[process][minute]++;
			} else {
				perProcess[process].rateLimited++;
				budget.rateLimited(Math.ceil(decision.retryAfterMs / 1000) * 1000);
			}
		}
	};

	const running: Array<Promise<void>> = [];
	for (let process = 0; process < processes; process++) {
		const budget = new RateBudget(settings, clock);
		for (let index = 0; index < waitsPerProcess; index++) {
			running.push(wait(process, budget).catch(() => undefined));
		}
	}
	await clock.advance(minutes * MINUTE);
	for (const stop of stops) stop.abort();
	await Promise.all(running);
	return { perProcess, admittedPerMinute };
}

/** Share of all requests that Blocks answered 429. */
export function rateLimitedShare(run: SharedKeyRun): number {
	const sent = run.perProcess.reduce((sum, p) => sum + p.sent, 0);
	const limited = run.perProcess.reduce((sum, p) => sum + p.rateLimited, 0);
	return limited / sent;
}

/** Each process's answered requests per minute over the given minutes. */
export function admittedRate(run: SharedKeyRun, fromMinute: number, toMinute: number): number[] {
	return run.admittedPerMinute.map(
		(minutes) =>
			minutes.slice(fromMinute, toMinute).reduce((sum, n) => sum + n, 0) / (toMinute - fromMinute),
	);
}
