import type { EmulatorOptions } from '../../emulator';
import { BlocksEmulator } from '../../emulator';
import { callApi } from '../support/rawEmulator';
import { waitUntil } from '../support/until';

const SESSION_PATH = '/rest/v1/sessions/00000000-0000-4000-8000-000000000000';
const LIMIT = 5;

const started: BlocksEmulator[] = [];
async function startEmulator(options: EmulatorOptions = {}): Promise<BlocksEmulator> {
	const emulator = await BlocksEmulator.start({
		rateLimit: { limit: LIMIT, windowMs: 60_000 },
		...options,
	});
	started.push(emulator);
	return emulator;
}
afterEach(async () => {
	await Promise.all(started.splice(0).map((emulator) => emulator.close()));
});

/** Sends `count` authenticated GETs one after another and returns their statuses. */
async function hit(
	emulator: BlocksEmulator,
	count: number,
	apiKey = emulator.apiKey,
): Promise<number[]> {
	const statuses: number[] = [];
	for (let index = 0; index < count; index += 1) {
		statuses.push((await callApi(emulator.url, 'GET', SESSION_PATH, { apiKey })).status);
	}
	return statuses;
}

describe('rate limit (§10)', () => {
	test('the request over the limit gets 429 with the documented body', async () => {
		const emulator = await startEmulator();
		expect(await hit(emulator, LIMIT)).toEqual(Array(LIMIT).fill(404));
		const refused = await callApi(emulator.url, 'GET', SESSION_PATH, { apiKey: emulator.apiKey });
		expect(refused.status).toBe(429);
		expect(refused.body).toEqual({ error: 'Rate limit exceeded' });
		expect(emulator.stats().rateLimited).toBe(1);
		expect(emulator.requests.at(-1)?.status).toBe(429);
	});

	test('Retry-After defaults to the whole seconds until the window frees', async () => {
		const emulator = await startEmulator();
		await hit(emulator, LIMIT);
		const refused = await callApi(emulator.url, 'GET', SESSION_PATH, { apiKey: emulator.apiKey });
		const retryAfter = Number(refused.headers.get('retry-after'));
		expect(Number.isInteger(retryAfter)).toBe(true);
		expect(retryAfter).toBeGreaterThanOrEqual(59);
		expect(retryAfter).toBeLessThanOrEqual(60);
	});

	test('Retry-After is in real seconds when emulated time runs faster', async () => {
		const emulator = await startEmulator({ timeScale: 10 });
		await hit(emulator, LIMIT);
		const refused = await callApi(emulator.url, 'GET', SESSION_PATH, { apiKey: emulator.apiKey });
		expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(6);
	});

	test('retryAfterSeconds fixes the Retry-After value', async () => {
		const emulator = await startEmulator({ retryAfterSeconds: 7 });
		await hit(emulator, LIMIT);
		const refused = await callApi(emulator.url, 'GET', SESSION_PATH, { apiKey: emulator.apiKey });
		expect(refused.headers.get('retry-after')).toBe('7');
	});

	test('retryAfterSeconds null sends no Retry-After header', async () => {
		const emulator = await startEmulator({ retryAfterSeconds: null });
		await hit(emulator, LIMIT);
		const refused = await callApi(emulator.url, 'GET', SESSION_PATH, { apiKey: emulator.apiKey });
		expect(refused.status).toBe(429);
		expect(refused.headers.has('retry-after')).toBe(false);
	});

	test('requests refused by authentication do not count', async () => {
		const emulator = await startEmulator();
		expect(await hit(emulator, LIMIT * 2, 'blk_wrong')).toEqual(Array(LIMIT * 2).fill(403));
		expect(await hit(emulator, LIMIT)).toEqual(Array(LIMIT).fill(404));
	});

	test('each API key has its own budget', async () => {
		const emulator = await startEmulator({ apiKeys: ['blk_a', 'blk_b'] });
		await hit(emulator, LIMIT, 'blk_a');
		expect(await hit(emulator, 1, 'blk_a')).toEqual([429]);
		expect(await hit(emulator, 1, 'blk_b')).toEqual([404]);
	});

	test('the window frees after windowMs of emulated time', async () => {
		// One emulated minute is 2 real seconds at this scale: long enough that the burst below
		// always lands inside one window, even on a loaded machine.
		const emulator = await startEmulator({ timeScale: 30 });
		await hit(emulator, LIMIT);
		expect(await hit(emulator, 1)).toEqual([429]);
		await waitUntil(async () => (await hit(emulator, 1))[0] === 404, {
			timeoutMs: 10_000,
			intervalMs: 100,
			description: 'the window to free',
		});
		expect(emulator.stats().rateLimited).toBeGreaterThanOrEqual(1);
	});

	test('rateLimit false lets more than the default 100 requests through', async () => {
		const emulator = await startEmulator({ rateLimit: false });
		const statuses = await hit(emulator, 101);
		expect(statuses.filter((status) => status === 429)).toEqual([]);
	});

	test('the default limit is 100 per minute', async () => {
		const emulator = await BlocksEmulator.start();
		started.push(emulator);
		const statuses = await hit(emulator, 101);
		expect(statuses.indexOf(429)).toBe(100);
	});
});
