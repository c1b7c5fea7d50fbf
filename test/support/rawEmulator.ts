/** Raw HTTP calls to the emulator, so a test sees exactly what went over the wire, and an emulator per test file to make them to. */
import { BlocksEmulator } from '../../emulator';
import { httpRequest, type HttpResponse } from './http';

// Tests index response bodies freely; typing every contract shape here would only restate blocks-api.md.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type JsonBody = any;

export type RawResponse = HttpResponse<JsonBody>;

export interface CallOptions {
	/** Sent as JSON. */
	body?: unknown;
	/** Sent as `ApiKey <key>`; null sends no Authorization header. */
	apiKey?: string | null;
	/** Sent verbatim, overriding apiKey. */
	authorization?: string;
	headers?: Record<string, string>;
}

/** One request to `pathOrUrl` (a path under baseUrl, or an absolute URL such as a `_links` href). */
export function callApi(
	baseUrl: string,
	method: string,
	pathOrUrl: string,
	options: CallOptions = {},
): Promise<RawResponse> {
	const headers: Record<string, string> = { ...options.headers };
	const authorization =
		options.authorization ?? (options.apiKey ? `ApiKey ${options.apiKey}` : undefined);
	if (authorization !== undefined) headers.authorization = authorization;
	const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${baseUrl}${pathOrUrl}`;
	return httpRequest<JsonBody>(method, url, { body: options.body, headers });
}

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
