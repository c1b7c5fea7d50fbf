import { replaceClock } from '../../nodes/Blocks/time';
import { ManualClock, settle } from './manualClock';

/**
 * Time that jumps: whenever the node sleeps, the clock moves straight to the earliest wake-up.
 * For one wait at a time: its sleeps (between polls, in retries, in the rate budget) then take
 * no real time, and the node's own deadlines, read from this clock, are exact however slow the
 * machine is. HTTP requests still go over loopback in real time, with the clock standing still.
 *
 * `beforeEachJump` runs before time moves on: a test can change the emulator's state at a
 * point of the node's schedule (say, finish the turn once three faults were served).
 */
export class VirtualClock extends ManualClock {
	private jumping = false;

	constructor(private readonly beforeEachJump: () => void = () => undefined) {
		super();
	}

	/** How much time has passed on this clock since it was made. */
	elapsed() {
		return this.time - 1_000_000;
	}

	protected slept() {
		if (this.jumping) return;
		this.jumping = true;
		// A macrotask later: whatever the woken code does next without I/O has run by then.
		setImmediate(() => void this.jump());
	}

	private async jump() {
		await settle();
		this.jumping = false;
		const next = [...this.sleepers].sort((a, b) => a.at - b.at)[0];
		if (!next) return;
		this.beforeEachJump();
		this.wake(next);
		if (this.sleepers.length) this.slept();
	}
}

/** Runs `body` with the node on `clock`, and puts the real clock back however it ends. */
export async function onClock<T>(clock: ManualClock, body: () => Promise<T>): Promise<T> {
	const restore = replaceClock(clock);
	try {
		return await body();
	} finally {
		restore();
	}
}
