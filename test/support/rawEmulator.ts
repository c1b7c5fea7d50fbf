import { BlocksEmulator, callApi, type CallOptions } from '../../emulator';

/** A session ID no emulator holds. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/**
 * One emulator for a test file, reset before each test, driven with raw HTTP calls so a test
 * sees exactly what a client would.
 */
export function useRawEmulator() {
	const fixture = {
		emulator: undefined as unknown as BlocksEmulator,
		api: (method: string, path: string, options: CallOptions = {}) =>
			callApi(fixture.emulator.url, method, path, { apiKey: fixture.emulator.apiKey, ...options }),
		createSession: (body: Record<string, unknown> = {}) =>
			fixture.api('POST', '/rest/v1/sessions', {
				body: { agent_name: 'claude', message: 'Hello', ...body },
			}),
	};
	beforeAll(async () => {
		fixture.emulator = await BlocksEmulator.start();
	});
	afterAll(() => fixture.emulator.close());
	beforeEach(() => fixture.emulator.reset());
	return fixture;
}
