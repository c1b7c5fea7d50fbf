/** PASS/FAIL bookkeeping for the end-to-end runner. */

class CheckFailure extends Error {}

export function assert(condition: unknown, message: string): asserts condition {
	if (!condition) throw new CheckFailure(message);
}

export function assertEqual<T>(actual: T, expected: T, what: string): void {
	if (actual !== expected) {
		throw new CheckFailure(
			`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
		);
	}
}

export interface CheckResult {
	name: string;
	ok: boolean;
	detail: string;
	ms: number;
}

export class Checks {
	readonly results: CheckResult[] = [];

	get passed(): number {
		return this.results.filter((r) => r.ok).length;
	}

	get failed(): number {
		return this.results.filter((r) => !r.ok).length;
	}

	/**
	 * Runs one check. `fn` returns an optional detail for the PASS line and throws to fail.
	 * Returns whether it passed, so later checks that depend on it can be skipped as failures.
	 */
	async check(name: string, fn: () => Promise<string | void> | string | void): Promise<boolean> {
		const t0 = Date.now();
		try {
			const detail = (await fn()) ?? '';
			this.record({ name, ok: true, detail, ms: Date.now() - t0 });
			return true;
		} catch (e) {
			const detail =
				e instanceof CheckFailure
					? e.message
					: e instanceof Error
						? (e.stack ?? e.message)
						: String(e);
			this.record({ name, ok: false, detail, ms: Date.now() - t0 });
			return false;
		}
	}

	pass(name: string, detail = ''): void {
		this.record({ name, ok: true, detail, ms: 0 });
	}

	fail(name: string, detail: string): void {
		this.record({ name, ok: false, detail, ms: 0 });
	}

	private record(r: CheckResult): void {
		this.results.push(r);
		const detail = r.detail ? ` — ${r.detail.split('\n').join('\n      ')}` : '';
		console.log(`${r.ok ? 'PASS' : 'FAIL'} ${r.name}${detail}`);
	}

	summaryLine(): string {
		return `${this.passed} passed, ${this.failed} failed`;
	}
}
