import type { Clock } from '../../nodes/Blocks/transport/clock';
import { CancelledError } from '../../nodes/Blocks/wait/sleep';

/** Time that moves only when the test says so. */
export class ManualClock implements Clock {
	private time = 1_000_000;
	private sleepers: Array<{ at: number; wake: () => void }> = [];

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
		});
	}

	/** Moves time forward, waking each sleeper due by then and letting its continuation run. */
	async advance(ms: number) {
		const end = this.time + ms;
		for (;;) {
			await settle();
			const due = this.sleepers.filter((s) => s.at <= end).sort((a, b) => a.at - b.at)[0];
			if (!due) break;
			this.time = Math.max(this.time, due.at);
			this.sleepers = this.sleepers.filter((s) => s !== due);
			due.wake();
		}
		this.time = end;
		await settle();
	}

	pendingSleeps() {
		return this.sleepers.length;
	}
}

/** Lets every promise continuation that is ready run (no time passes). */
export async function settle() {
	for (let i = 0; i < 20; i++) await Promise.resolve();
}
