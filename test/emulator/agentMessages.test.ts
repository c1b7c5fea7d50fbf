import { BlocksEmulator } from '../../emulator';
import { callApi, type CallOptions, type JsonBody } from '../support/rawEmulator';

let emulator: BlocksEmulator;
const api = (method: string, path: string, options: CallOptions = {}) =>
	callApi(emulator.url, method, path, { apiKey: emulator.apiKey, ...options });

beforeAll(async () => {
	emulator = await BlocksEmulator.start({ rateLimit: false });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('agent messages with a chosen ts (§14.11)', () => {
	test('two items may share a ts, and gts at that ts selects neither', async () => {
		emulator.setAgent(() => ({ manual: true }));
		const session = (
			await api('POST', '/rest/v1/sessions', { body: { agent_name: 'claude', message: 'Hi' } })
		).body;
		const ts = Math.floor(Date.now() / 1000) - 60;
		const first = emulator.addAgentMessage(session.thread_id, { message: 'one', ts });
		const second = emulator.addAgentMessage(session.thread_id, { message: 'two', ts });
		const untimed = emulator.addAgentMessage(session.thread_id, { message: 'three', ts: null });

		const all = (await api('GET', session._links.final_message.href)).body.items;
		expect(all.map((item: JsonBody) => [item.id, item.ts])).toEqual([
			[first.id, ts],
			[second.id, ts],
			[untimed.id, null],
		]);
		const after = (await api('GET', `${session._links.final_message.href}&gts=${ts}`)).body;
		expect(after.items).toEqual([]);
	});
});
