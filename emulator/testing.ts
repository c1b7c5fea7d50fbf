/**
 * What tests that drive the emulator use: raw HTTP calls (so a test sees exactly what went over
 * the wire) and waiting on a condition instead of sleeping. Both are the tooling's shared helpers
 * (test/support/http.ts, test/support/pollUntil.ts) with the Blocks API's auth and a test's defaults.
 */
import { httpRequest, type HttpResponse } from '../test/support/http';
import { pollUntil } from '../test/support/pollUntil';

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

export interface WaitOptions {
	/** Default 5 s. */
	timeoutMs?: number;
	/** Default 5 ms: the emulator runs in the test's own process. */
	intervalMs?: number;
	/** Named in the timeout error. */
	description?: string;
}

/** Resolves with the first truthy value `probe` returns; rejects after `timeoutMs`. */
export function waitUntil<T>(probe: () => T | Promise<T>, options: WaitOptions = {}) {
	return pollUntil(probe, {
		timeoutMs: options.timeoutMs ?? 5_000,
		intervalMs: options.intervalMs ?? 5,
		description: options.description ?? 'condition',
	});
}
