import type { Clock } from '../../nodes/Blocks/transport/clock';
import { sleepUnlessCancelled } from '../../nodes/Blocks/wait/sleep';

/** Time running `scale` times faster than the wall clock, to match an emulator's `timeScale`. */
export function scaledClock(scale: number): Clock {
	const origin = Date.now();
	return {
		now: () => origin + (Date.now() - origin) * scale,
		sleep: (ms, signal) => sleepUnlessCancelled(ms / scale, signal),
		random: Math.random,
	};
}
