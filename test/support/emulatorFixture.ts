import { BlocksEmulator, type EmulatorOptions } from '../../emulator';
import { shutdownEngine } from '../../engine';
import type { Credential } from './blocksRun';

/**
 * One emulator per test file, reset before each test so every test starts with no sessions,
 * no faults, no request log and a fresh rate-limit window.
 */
export function useEmulator(options: EmulatorOptions = {}) {
	let emulator: BlocksEmulator | undefined;
	beforeAll(async () => {
		emulator = await BlocksEmulator.start(options);
	});
	beforeEach(() => emulator?.reset());
	afterAll(async () => {
		await emulator?.close();
		shutdownEngine();
	});

	const get = () => {
		if (!emulator) throw new Error('The emulator has not started');
		return emulator;
	};
	return {
		get emulator() {
			return get();
		},
		get credential(): Credential {
			return { apiKey: get().apiKey, baseUrl: get().url };
		},
		/** Requests that reached the API (method and path), in order. */
		requestsTo(method: string, path: RegExp) {
			return get().requests.filter((entry) => entry.method === method && path.test(entry.path));
		},
	};
}
