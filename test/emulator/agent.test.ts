import { BlocksEmulator } from '../../emulator';
import { callApi, type CallOptions } from '../support/rawEmulator';
import { waitUntil } from '../support/until';

const TIME_SCALE = 1_000;
let emulator: BlocksEmulator;
const api = (method: string, path: string, options: CallOptions = {}) =>
	callApi(emulator.url, method, path, { apiKey: emulator.apiKey, ...options });
const createSession = async () =>
	(await api('POST', '/rest/v1/sessions', { body: { agent_name: 'claude', message: 'work' } }))
		.body;

beforeAll(async () => {
	emulator = await BlocksEmulator.start({ timeScale: TIME_SCALE });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('scripted agent and emulated time', () => {
	test('a delayed reply appears after delayMs of emulated time, which timeScale shortens', async () => {
		// 20 emulated minutes are 1.2 real seconds here: the first poll below is always earlier.
		const delayMs = 1_200_000;
		emulator.setAgent(() => ({ reply: 'done', delayMs }));
		const realStart = Date.now();
		const session = await createSession();
		expect((await api('GET', session._links.final_message.href)).body.items).toEqual([]);

		const [reply] = await waitUntil(async () => {
			const { items } = (await api('GET', session._links.final_message.href)).body;
			return items.length > 0 && items;
		});
		const emulatedSeconds = reply.ts - Date.parse(session.created_at) / 1000;
		expect(emulatedSeconds).toBeGreaterThanOrEqual(delayMs / 1000);
		expect(Date.now() - realStart).toBeLessThan(delayMs / 10);
	});

	test('readyAtMs is the real wall time the final message became visible', async () => {
		emulator.setAgent(() => ({ reply: 'done', delayMs: 30_000 }));
		const realStart = Date.now();
		const session = await createSession();
		const state = await waitUntil(() => {
			const current = emulator.threadState(session.thread_id);
			return current.status === 'replied' && current;
		});
		// 30 emulated seconds are 30 real ms at this scale; readyAtMs is real time, not emulated.
		expect(state.readyAtMs).toBeGreaterThanOrEqual(realStart + 30_000 / TIME_SCALE - 1);
		expect(state.readyAtMs).toBeLessThanOrEqual(Date.now());
	});

	test('a never turn stays without a final message and cannot be finished', async () => {
		emulator.setAgent(() => ({ never: true }));
		const session = await createSession();
		expect(emulator.threadState(session.thread_id)).toEqual({ status: 'never', readyAtMs: null });
		expect(() => emulator.finishTurn(session.thread_id, 'x')).toThrow(/No running thread/);
		expect((await api('GET', session._links.final_message.href)).body.items).toEqual([]);
	});

	test('finishTurn on an unknown thread throws', () => {
		expect(() => emulator.finishTurn('00000000-0000-4000-8000-000000000000', 'x')).toThrow(
			/No running thread/,
		);
	});

	test('finishTurn completes a delayed turn early and cancels its timer', async () => {
		emulator.setAgent(() => ({ reply: 'scripted', delayMs: 3_600_000 }));
		const session = await createSession();
		emulator.finishTurn(session.thread_id, 'early');
		expect(emulator.pendingTimers()).toBe(0);
		const { items } = (await api('GET', session._links.final_message.href)).body;
		expect(items.map((item: { message: string }) => item.message)).toEqual(['early']);
	});

	test('a reply is stored as an assistant message and a final_message with the same text', async () => {
		const session = await createSession();
		const { items } = (
			await api('GET', `${session._links.thread.href}?type=message&type=final_message`)
		).body;
		expect(
			items.map((item: { type: string; message: string }) => [item.type, item.message]),
		).toEqual([
			['message', 'You said: work'],
			['final_message', 'You said: work'],
		]);
	});

	test('the pull requests of a turn join the session when the turn finishes, not before', async () => {
		const pullRequest = 'https://github.com/acme/app/pull/7';
		emulator.setAgent(() => ({ reply: 'opened', delayMs: 60_000, pullRequests: [pullRequest] }));
		const session = await createSession();
		const pullRequestsNow = async () =>
			(await api('GET', `/rest/v1/sessions/${session.id}`)).body.pull_requests;
		expect(session.pull_requests).toEqual([]);
		expect(await pullRequestsNow()).toEqual([]);

		await waitUntil(() => emulator.threadState(session.thread_id).status === 'replied');
		expect(await pullRequestsNow()).toEqual([pullRequest]);
	});

	test('finishTurn opens the pull requests it is given', async () => {
		emulator.setAgent(() => ({ manual: true }));
		const session = await createSession();
		emulator.finishTurn(session.thread_id, 'opened', ['https://github.com/acme/app/pull/8']);
		const read = await api('GET', `/rest/v1/sessions/${session.id}`);
		expect(read.body.pull_requests).toEqual(['https://github.com/acme/app/pull/8']);
	});

	test('reset puts back the agent from the options', async () => {
		emulator.setAgent(() => ({ manual: true }));
		emulator.reset();
		const session = await createSession();
		expect(emulator.threadState(session.thread_id).status).toBe('replied');
	});
});
