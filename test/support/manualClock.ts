import type { Clock } from '../../nodes/Blocks/time';
import { CancelledError } from '../../nodes/Blocks/time';

interface Sleeper {
	at: number;
	wake: () => void;
}

/** Time that moves only when the test says so. */
export class ManualClock implements Clock {
	protected time = 1_000_000;
	protected sleepers: Sleeper[] = [];

	now() {
		return this.time;
	}

	random() {
		return 0.5;
	}

	sleep(ms: number, signal: AbortSignal): Promise<void> {
		return new Promise((resolve, reject) => {
			if (signal.aborted) {
				reject(new CancelledError());
				return;
			}
			const sleeper = {
				at: this.time + ms,
				wake: () => {
					signal.removeEventListener('abort', cancel);
					resolve();
				},
			};
			const cancel = () => {
				this.sleepers = this.sleepers.filter((s) => s !== sleeper);
				reject(new CancelledError());
			};
			signal.addEventListener('abort', cancel, { once: true });
			this.sleepers.push(sleeper);
			this.slept();
		});
	}

	/** Moves time forward, waking each sleeper due by then and letting its continuation run. */
	async advance(ms: number) {
		const end = this.time + ms;
		for (;;) {
			await settle();
			const due = this.sleepers.filter((s) => s.at <= end).sort((a, b) => a.at - b.at)[0];
			if (!due) break;
			this.wake(due);
		}
		this.time = end;
		await settle();
	}

	pendingSleeps() {
		return this.sleepers.length;
	}

	/** Called whenever a sleep starts; a subclass may move time on its own from here. */
	protected slept() {}

	protected wake(sleeper: Sleeper) {
		this.time = Math.max(this.time, sleeper.at);
		this.sleepers = this.sleepers.filter((s) => s !== sleeper);
		sleeper.wake();
	}
}

/** Lets every promise continuation that is ready run (no time passes). */
export async function settle() {
	for (let i = 0; i < 20; i++) await Promise.resolve();
}
