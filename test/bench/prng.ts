/**
 * A small seeded pseudo-random generator, so every bench run draws the same reply times and the
 * node's poll jitter is the same from run to run. 32-bit linear congruential state (Knuth's
 * multiplier) with a multiply/xor-shift output mix; plenty for spreading delays, not for crypto.
 */
export class SeededRandom {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0;
	}

	/** A float in [0, 1). */
	next = (): number => {
		this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
		let x = this.state;
		x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) >>> 0;
		x = Math.imul(x ^ (x >>> 12), 0x297a2d39) >>> 0;
		x = (x ^ (x >>> 15)) >>> 0;
		return x / 0x1_0000_0000;
	};

	uniform(low: number, high: number): number {
		return low + (high - low) * this.next();
	}
}

/** A seed derived from a base seed and a label, so each scenario and run gets its own stream. */
export function seedFor(base: number, label: string): number {
	let hash = base >>> 0;
	for (const char of label)
		hash = (Math.imul(hash ^ char.charCodeAt(0), 0x01000193) + 0x9e37) >>> 0;
	return hash;
}
