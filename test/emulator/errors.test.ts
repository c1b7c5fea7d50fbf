import type { EmulatorOptions } from '../../emulator';
import { BlocksEmulator } from '../../emulator';
import { callApi, type CallOptions } from '../support/rawEmulator';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const SESSIONS = '/rest/v1/sessions';

const started: BlocksEmulator[] = [];
async function startEmulator(options: EmulatorOptions = {}): Promise<BlocksEmulator> {
	const emulator = await BlocksEmulator.start(options);
	started.push(emulator);
	return emulator;
}
afterEach(async () => {
	await Promise.all(started.splice(0).map((emulator) => emulator.close()));
});

/** Requests that make the emulator answer each kind of error it knows. */
const FAILING_REQUESTS: Array<[string, number, string, string, CallOptions]> = [
	['no Authorization header', 401, 'GET', `${SESSIONS}/${UNKNOWN_ID}`, { apiKey: null }],
	['an unknown key', 403, 'GET', `${SESSIONS}/${UNKNOWN_ID}`, { apiKey: 'blk_wrong' }],
	['no agent selector', 400, 'POST', SESSIONS, { body: { message: 'hi' } }],
	['a session id that is not a UUID', 422, 'GET', `${SESSIONS}/nope`, {}],
	['an unknown session', 404, 'GET', `${SESSIONS}/${UNKNOWN_ID}`, {}],
];

describe('error bodies (§12, §14.2)', () => {
	test.each(FAILING_REQUESTS)(
		'%s answers %i with {"error": "<message>"}, as Blocks’ own client reads it',
		async (_name, status, method, path, options) => {
			const emulator = await startEmulator();
			const response = await callApi(emulator.url, method, path, {
				apiKey: emulator.apiKey,
				...options,
			});
			expect(response.status).toBe(status);
			expect(response.headers.get('content-type')).toMatch(/^application\/json/);
			expect(response.body).toEqual({ error: expect.any(String) });
			expect(response.body.error).not.toBe('');
		},
	);

	test('a 429 has the same shape, with its Retry-After', async () => {
		const emulator = await startEmulator({ rateLimit: { limit: 1, windowMs: 60_000 } });
		const call = () =>
			callApi(emulator.url, 'GET', `${SESSIONS}/${UNKNOWN_ID}`, { apiKey: emulator.apiKey });
		await call();
		const refused = await call();
		expect(refused.status).toBe(429);
		expect(refused.body).toEqual({ error: 'Rate limit exceeded' });
		expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
	});

	test.each([
		['no Authorization header', 'UNAUTHORIZED'],
		['an unknown key', 'FORBIDDEN'],
		['no agent selector', 'VALIDATION'],
		['a session id that is not a UUID', 'VALIDATION'],
		['an unknown session', 'NOT_FOUND'],
	])('with errorShape "object" for every response, %s carries the code %s', async (name, code) => {
		const emulator = await startEmulator({ errorShape: 'object' });
		const [, status, method, path, options] = FAILING_REQUESTS.find(([n]) => n === name)!;
		const response = await callApi(emulator.url, method, path, {
			apiKey: emulator.apiKey,
			...options,
		});
		expect(response.status).toBe(status);
		expect(response.body).toEqual({ error: { code, message: expect.any(String) } });
	});

	test('a follow-up body that is not JSON is 400 BAD_REQUEST in the coded shapes', async () => {
		const emulator = await startEmulator({ errorShape: 'flat' });
		const session = await callApi(emulator.url, 'POST', SESSIONS, {
			apiKey: emulator.apiKey,
			body: { agent_name: 'claude', message: 'hi' },
		});
		const response = await fetch(`${emulator.url}${SESSIONS}/${session.body.id}/messages`, {
			method: 'POST',
			headers: { authorization: `ApiKey ${emulator.apiKey}`, 'content-type': 'application/json' },
			body: '{',
		});
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({
			code: 'BAD_REQUEST',
			message: 'Request body must be valid JSON',
		});
	});

	test('errorShape "none" for every response sends errors with an empty body', async () => {
		const emulator = await startEmulator({ errorShape: 'none' });
		const response = await callApi(emulator.url, 'GET', `${SESSIONS}/${UNKNOWN_ID}`, {
			apiKey: emulator.apiKey,
		});
		expect(response.status).toBe(404);
		expect(response.text).toBe('');
	});
});
