/**
 * Small helpers for code that drives the emulator in tests: raw HTTP calls (so a test sees exactly
 * what went over the wire) and waiting on a condition instead of sleeping.
 */

// Tests index response bodies freely; typing every contract shape here would only restate blocks-api.md.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type JsonBody = any;

export interface RawResponse {
	status: number;
	headers: Headers;
	text: string;
	/** The parsed body, or undefined when it is not JSON. */
	body: JsonBody;
}

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
export async function callApi(
	baseUrl: string,
	method: string,
	pathOrUrl: string,
	options: CallOptions = {},
): Promise<RawResponse> {
	const headers: Record<string, string> = { ...options.headers };
	const authorization =
		options.authorization ?? (options.apiKey ? `ApiKey ${options.apiKey}` : undefined);
	if (authorization !== undefined) headers.authorization = authorization;
	if (options.body !== undefined) headers['content-type'] = 'application/json';
	const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${baseUrl}${pathOrUrl}`;
	const response = await fetch(url, {
		method,
		headers,
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
	});
	const text = await response.text();
	return { status: response.status, headers: response.headers, text, body: parseOrUndefined(text) };
}

function parseOrUndefined(text: string): JsonBody {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

export interface WaitOptions {
	timeoutMs?: number;
	intervalMs?: number;
	/** Named in the timeout error. */
	description?: string;
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** Resolves with the first truthy value `probe` returns; rejects after `timeoutMs`. */
export async function waitUntil<T>(
	probe: () => T | Promise<T>,
	{ timeoutMs = 5_000, intervalMs = 5, description = 'condition' }: WaitOptions = {},
): Promise<Truthy<T>> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value as Truthy<T>;
		if (Date.now() >= deadline)
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}
