/**
 * Timers the emulator owns. Every real timer goes through a TimerSet so that close() and reset()
 * can cancel all of them: a forgotten timer keeps Jest (and the CLI) alive after the tests end.
 */
export class TimerSet {
	private readonly pending = new Set<NodeJS.Timeout>();

	after(realMs: number, callback: () => void): NodeJS.Timeout {
		const timer = setTimeout(
			() => {
				this.pending.delete(timer);
				callback();
			},
			Math.max(0, realMs),
		);
		this.pending.add(timer);
		return timer;
	}

	cancel(timer: NodeJS.Timeout): void {
		clearTimeout(timer);
		this.pending.delete(timer);
	}

	cancelAll(): void {
		for (const timer of this.pending) clearTimeout(timer);
		this.pending.clear();
	}

	get size(): number {
		return this.pending.size;
	}
}

/**
 * The emulator's only notion of time. Emulated time starts at the real wall clock and then runs
 * `timeScale` times faster, so a benchmark can emulate minutes-long agent turns and a one-minute
 * rate-limit window (docs/blocks-api.md §10) in a fraction of the real time, while timestamps
 * (`ts`, `created_at`) stay plausible epoch values.
 */
export class EmulatedClock {
	private readonly realStart = performance.now();
	private readonly epochStart = Date.now();
	private readonly timers = new TimerSet();

	constructor(readonly timeScale: number) {
		if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
			throw new RangeError(`timeScale must be a positive finite number, got ${timeScale}`);
		}
	}

	/** Emulated epoch milliseconds, whole. */
	nowMs(): number {
		return Math.floor(this.epochStart + (performance.now() - this.realStart) * this.timeScale);
	}

	toRealMs(emulatedMs: number): number {
		return emulatedMs / this.timeScale;
	}

	/** Runs `callback` after `emulatedMs` of emulated time. */
	after(emulatedMs: number, callback: () => void): NodeJS.Timeout {
		return this.timers.after(this.toRealMs(emulatedMs), callback);
	}

	cancel(timer: NodeJS.Timeout): void {
		this.timers.cancel(timer);
	}

	cancelAll(): void {
		this.timers.cancelAll();
	}

	get pendingTimers(): number {
		return this.timers.size;
	}
}
