import type { Clock } from '../../nodes/Blocks/time';
import { CancelledError } from '../../nodes/Blocks/time';

/** Wall time in ms with sub-ms resolution; comparable across processes on one machine. */
export function wallNowMs(): number {
	return performance.timeOrigin + performance.now();
}

interface Sleeper {
	timer: NodeJS.Timeout;
	reject(error: Error): void;
}

/**
 * Emulated time, as the emulator defines it (emulator/clock.ts): an epoch in ms that runs
 * `scale` times faster than the wall clock. Built from one reading of the emulator's own clock
 * (`emulatedAtOrigin`, taken at wall time `wallAtOrigin`), so the node, the baselines and the
 * emulator agree on "now" and on how long a minute is.
 */
export class ScaledClock implements Clock {
	/** Sleeps by signal: one abort listener per signal, however many sleeps share it. */
	private readonly sleepers = new WeakMap<AbortSignal, Set<Sleeper>>();

	constructor(
		readonly scale: number,
		private readonly emulatedAtOrigin: number,
		private readonly wallAtOrigin: number,
		readonly random: () => number,
	) {}

	now = (): number =>
		Math.floor(this.emulatedAtOrigin + (wallNowMs() - this.wallAtOrigin) * this.scale);

	/** Sleeps `ms` emulated, that is ms / scale real milliseconds; throws CancelledError on abort. */
	sleep = (ms: number, signal: AbortSignal): Promise<void> =>
		new Promise<void>((resolve, reject) => {
			if (signal.aborted) {
				reject(new CancelledError());
				return;
			}
			const group = this.sleepersOf(signal);
			const sleeper: Sleeper = {
				timer: setTimeout(
					() => {
						group.delete(sleeper);
						resolve();
					},
					Math.max(0, ms / this.scale),
				),
				reject,
			};
			group.add(sleeper);
		});

	private sleepersOf(signal: AbortSignal): Set<Sleeper> {
		let group = this.sleepers.get(signal);
		if (!group) {
			const created = new Set<Sleeper>();
			signal.addEventListener(
				'abort',
				() => {
					for (const sleeper of created) {
						clearTimeout(sleeper.timer);
						sleeper.reject(new CancelledError());
					}
					created.clear();
				},
				{ once: true },
			);
			this.sleepers.set(signal, created);
			group = created;
		}
		return group;
	}
}
