/**
 * The one HTTP client of the tooling (tests, the e2e suite, the dev editor, scripts): a request
 * goes out as given and the answer comes back whole (status, headers, text, parsed JSON), so a
 * caller sees exactly what went over the wire. No retries.
 */

export interface HttpRequestOptions {
	/** Sent as JSON (with its content type). */
	body?: unknown;
	headers?: Record<string, string>;
	/** Aborts the request after this long (default 10 s). */
	timeoutMs?: number;
	/** Aborts the request when this signal fires (in addition to the time-out). */
	signal?: AbortSignal;
}

export interface HttpResponse<Body = unknown> {
	status: number;
	headers: Headers;
	text: string;
	/** The parsed body, or undefined when it is not JSON. */
	body: Body;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export async function httpRequest<Body = unknown>(
	method: string,
	url: string,
	options: HttpRequestOptions = {},
): Promise<HttpResponse<Body>> {
	const headers: Record<string, string> = { ...options.headers };
	if (options.body !== undefined) headers['content-type'] ??= 'application/json';
	const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
	const response = await fetch(url, {
		method,
		headers,
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
		signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
	});
	const text = await response.text();
	return { status: response.status, headers: response.headers, text, body: parseOrUndefined(text) };
}

function parseOrUndefined<Body>(text: string): Body {
	try {
		return JSON.parse(text) as Body;
	} catch {
		return undefined as Body;
	}
}
