import type { EmulatorOptions } from '../../emulator';
import { BlocksEmulator } from '../../emulator';
import { callApi, type CallOptions } from '../support/rawEmulator';
import { waitUntil } from '../support/until';

const started: Array<{ close(): Promise<void> }> = [];
async function startEmulator(options: EmulatorOptions = {}): Promise<BlocksEmulator> {
	const emulator = await BlocksEmulator.start(options);
	started.push(emulator);
	return emulator;
}
afterEach(async () => {
	await Promise.all(started.splice(0).map((server) => server.close()));
});

const api = (emulator: BlocksEmulator, method: string, path: string, options: CallOptions = {}) =>
	callApi(emulator.url, method, path, { apiKey: emulator.apiKey, ...options });
const createSession = async (emulator: BlocksEmulator, message = 'Hello') =>
	(await api(emulator, 'POST', '/rest/v1/sessions', { body: { agent_name: 'claude', message } }))
		.body;

describe('links and other hosts (§1, §14.21)', () => {
	test('linkBaseUrl sets the origin of every _links href', async () => {
		const emulator = await startEmulator({ linkBaseUrl: 'https://api.prod.blocks.team/' });
		const session = await createSession(emulator);
		const page = (await api(emulator, 'GET', `/rest/v1/sessions/${session.id}/messages`)).body;
		const hrefs = [...Object.values(session._links), ...Object.values(page._links)].map(
			(value) => (value as { href: string }).href,
		);
		expect(hrefs).toHaveLength(6);
		for (const href of hrefs)
			expect(href.startsWith('https://api.prod.blocks.team/rest/v1/sessions/')).toBe(true);
	});

	test('the foreign host records the Authorization header of every request and answers empty items', async () => {
		const foreign = await BlocksEmulator.startForeignHost();
		started.push(foreign);
		const response = await callApi(foreign.url, 'GET', '/rest/v1/sessions/x/messages?gts=1', {
			apiKey: 'blk_leaked',
		});
		await callApi(foreign.url, 'POST', '/anything', { apiKey: null, body: { message: 'hi' } });
		expect(response.body).toEqual({ items: [] });
		expect(foreign.requests).toEqual([
			expect.objectContaining({
				method: 'GET',
				path: '/rest/v1/sessions/x/messages',
				query: 'gts=1',
				authorization: 'ApiKey blk_leaked',
			}),
			expect.objectContaining({
				method: 'POST',
				path: '/anything',
				authorization: undefined,
				status: 200,
			}),
		]);
	});
});

describe('observing the emulator', () => {
	test('the request log keeps every request in order with its outcome', async () => {
		const emulator = await startEmulator();
		const session = await createSession(emulator);
		await api(
			emulator,
			'GET',
			`/rest/v1/sessions/${session.id}/messages?type=final_message&role=assistant`,
		);
		await api(emulator, 'GET', `/rest/v1/sessions/${session.id}`, { apiKey: 'blk_wrong' });
		expect(emulator.requests).toEqual([
			expect.objectContaining({
				method: 'POST',
				path: '/rest/v1/sessions',
				query: '',
				authorization: 'ApiKey blk_test_key',
				status: 200,
			}),
			expect.objectContaining({
				method: 'GET',
				query: 'type=final_message&role=assistant',
				status: 200,
			}),
			expect.objectContaining({ method: 'GET', authorization: 'ApiKey blk_wrong', status: 403 }),
		]);
		expect(
			emulator.requests.every((entry) => entry.fault === undefined && entry.receivedAt > 0),
		).toBe(true);
	});

	test('stats, sessionIds and followUpsFor count what the API did', async () => {
		const emulator = await startEmulator({ rateLimit: { limit: 4, windowMs: 60_000 } });
		const first = await createSession(emulator, 'one');
		const second = await createSession(emulator, 'two');
		await api(emulator, 'POST', `/rest/v1/sessions/${second.id}/messages`, {
			body: { message: 'more' },
		});
		await api(emulator, 'GET', `/rest/v1/sessions/${first.id}`);
		await api(emulator, 'GET', `/rest/v1/sessions/${first.id}`);
		expect(emulator.stats()).toEqual({
			sessionsCreated: 2,
			followUps: 1,
			requests: 5,
			rateLimited: 1,
		});
		expect(emulator.sessionIds()).toEqual([first.id, second.id]);
		expect([emulator.followUpsFor(first.id), emulator.followUpsFor(second.id)]).toEqual([0, 1]);
	});

	test('reset forgets sessions, the request log, faults and rate-limit counts', async () => {
		const emulator = await startEmulator({ rateLimit: { limit: 2, windowMs: 60_000 } });
		const log = emulator.requests;
		await createSession(emulator);
		await createSession(emulator);
		emulator.faults.add({ fault: { kind: 'status', status: 500 } });
		emulator.reset();
		expect(emulator.sessionIds()).toEqual([]);
		expect(log).toHaveLength(0);
		expect(emulator.stats()).toEqual({
			sessionsCreated: 0,
			followUps: 0,
			requests: 0,
			rateLimited: 0,
		});
		expect(
			(
				await api(emulator, 'POST', '/rest/v1/sessions', {
					body: { agent_name: 'claude', message: 'x' },
				})
			).status,
		).toBe(200);
		expect(log).toHaveLength(1);
	});

	test('systemNotice false leaves only conversation items in the history', async () => {
		const emulator = await startEmulator({ systemNotice: false });
		const session = await createSession(emulator);
		const { items } = (await api(emulator, 'GET', `/rest/v1/sessions/${session.id}/messages`)).body;
		expect(
			items.every(
				(item: { chat_thread_id: string | null }) => item.chat_thread_id === session.thread_id,
			),
		).toBe(true);
		expect(items).toHaveLength(2);
	});
});

describe('close()', () => {
	test('ends stalled requests and pending turns, clears every timer and stops listening', async () => {
		const emulator = await BlocksEmulator.start({
			agent: () => ({ reply: 'later', delayMs: 3_600_000 }),
		});
		let stalled: Promise<unknown> = Promise.resolve();
		try {
			await createSession(emulator);
			emulator.faults.add({ fault: { kind: 'stall', ms: 3_600_000 } });
			stalled = api(emulator, 'GET', `/rest/v1/sessions/${emulator.sessionIds()[0]}`);
			// One timer for the pending reply, one for the stalled response.
			await waitUntil(() => emulator.pendingTimers() === 2, {
				description: 'the stalled response to be held',
			});
		} finally {
			await emulator.close();
		}
		await expect(stalled).rejects.toThrow();
		expect(emulator.pendingTimers()).toBe(0);
		await expect(fetch(`${emulator.url}/rest/v1/sessions`)).rejects.toThrow();
	});

	test('can be called twice', async () => {
		const emulator = await BlocksEmulator.start();
		await emulator.close();
		await expect(emulator.close()).resolves.toBeUndefined();
	});
});
