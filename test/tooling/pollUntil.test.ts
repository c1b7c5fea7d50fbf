import { pollUntil } from '../support/pollUntil';

const fast = { timeoutMs: 2_000, intervalMs: 1, description: 'the answer' };

describe('pollUntil', () => {
	test('resolves with the first truthy value the probe returns', async () => {
		let calls = 0;
		await expect(
			pollUntil(() => (++calls >= 3 ? `after ${calls}` : undefined), fast),
		).resolves.toBe('after 3');
		expect(calls).toBe(3);
	});

	test('gives up after the time-out, naming what it waited for', async () => {
		await expect(pollUntil(() => false, { ...fast, timeoutMs: 20 })).rejects.toThrow(
			'Timed out after 20 ms waiting for the answer',
		);
	});

	test('a throwing probe ends the wait unless errors mean "not yet"', async () => {
		const failing = () => {
			throw new Error('connection refused');
		};
		await expect(pollUntil(failing, fast)).rejects.toThrow('connection refused');
		await expect(
			pollUntil(failing, { ...fast, timeoutMs: 20, errorsMeanNotYet: true }),
		).rejects.toThrow(/Timed out after 20 ms .*last error: connection refused/);
	});

	test('ends early with the reason when the abort promise resolves', async () => {
		let calls = 0;
		const abort = new Promise<string>((resolve) => {
			setImmediate(() => resolve('the process exited'));
		});
		await expect(
			pollUntil(
				() => {
					calls++;
					return false;
				},
				{ ...fast, timeoutMs: 60_000, intervalMs: 30_000, abort },
			),
		).rejects.toThrow('the answer: the process exited');
		expect(calls).toBe(1);
	});
});
