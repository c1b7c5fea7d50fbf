import { BlocksEmulator, type EmulatorOptions } from '../../emulator';
import type { Credential } from './blocksRun';
import { callApi, type JsonBody } from './rawEmulator';

const KEYS_PER_FILE = 200;

/**
 * One emulator per test file, reset before each test so every test starts with no sessions,
 * no faults and no request log. Each test also gets an API key of its own: the node keeps one
 * rate budget per key for the life of the process (as n8n would), so a test that provokes 429s
 * must not slow down the next one.
 */
export function useEmulator(options: EmulatorOptions = {}) {
	let emulator: BlocksEmulator | undefined;
	let keyIndex = 0;
	const keys = Array.from({ length: KEYS_PER_FILE }, (_, i) => `blk_test_${process.pid}_${i}`);
	beforeAll(async () => {
		emulator = await BlocksEmulator.start({ apiKeys: keys, ...options });
	});
	beforeEach(() => {
		emulator?.reset();
		keyIndex++;
	});
	afterAll(async () => await emulator?.close());

	const get = () => {
		if (!emulator) throw new Error('The emulator has not started');
		return emulator;
	};
	return {
		get emulator() {
			return get();
		},
		/** This test's key. */
		get apiKey(): string {
			return keys[keyIndex % KEYS_PER_FILE];
		},
		get credential(): Credential {
			return { apiKey: keys[keyIndex % KEYS_PER_FILE], baseUrl: get().url };
		},
		/** A session started over the API with this test's key (agent claude); its body is the API's answer. */
		async startSession(message: string): Promise<JsonBody> {
			const created = await callApi(get().url, 'POST', '/rest/v1/sessions', {
				apiKey: keys[keyIndex % KEYS_PER_FILE],
				body: { agent_name: 'claude', message },
			});
			return created.body;
		},
		/** A follow-up sent over the API with this test's key, as a client would; its body is the API's answer. */
		async sendFollowUp(sessionId: string, message: string): Promise<JsonBody> {
			const sent = await callApi(get().url, 'POST', `/rest/v1/sessions/${sessionId}/messages`, {
				apiKey: keys[keyIndex % KEYS_PER_FILE],
				body: { message },
			});
			return sent.body;
		},
		/** Requests that reached the API (method and path), in order. */
		requestsTo(method: string, path: RegExp) {
			return get().requests.filter((entry) => entry.method === method && path.test(entry.path));
		},
	};
}
