import { ScaledClock, wallNowMs } from '../engine/scaledClock';

/** Time running `scale` times faster than the wall clock, to match an emulator's `timeScale`. */
export function scaledClock(scale: number): ScaledClock {
	return new ScaledClock(scale, Date.now(), wallNowMs(), Math.random);
}
