import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { EmulatedClock, TimerSet } from './clock';
import type { ErrorShape } from './errors';
import { ApiError, badRequest, errorBody, errorForStatus, notFound } from './errors';
import type { FaultOf, FaultSwitchboard } from './faults';
import type { SlidingWindowLimiter } from './rateLimit';
import type { Reply, Route, TakeFault } from './routes';

export interface RequestLogEntry {
	method: string;
	path: string;
	/** Raw query string without '?'. */
	query: string;
	authorization: string | undefined;
	/** The status sent; 0 while unanswered and for requests whose socket was reset instead. */
	status: number;
	/** Kinds of the faults applied to this request, joined with '+'. */
	fault?: string;
	/** Real wall time (Date.now()) of arrival. */
	receivedAt: number;
}

export interface ServerDeps {
	routes: Route[];
	apiKeys: ReadonlySet<string>;
	limiter: SlidingWindowLimiter | null;
	clock: EmulatedClock;
	faults: FaultSwitchboard;
	log: RequestLogEntry[];
	/** Timers holding stalled responses; cancelled by close(). */
	stallTimers: TimerSet;
	/** undefined: computed from the window; null: no Retry-After header. */
	retryAfterSeconds: number | null | undefined;
	onRateLimited(): void;
}

/** A response ready for the socket. */
interface WireReply {
	status: number;
	headers: Record<string, string>;
	body: string;
}

/** Faults that replace or break the whole exchange; at most one applies per request. */
const EXCHANGE_FAULTS = [
	'status',
	'resetBefore',
	'resetAfter',
	'stall',
	'malformedJson',
	'html',
] as const;
type ExchangeFault = FaultOf<(typeof EXCHANGE_FAULTS)[number]>;

/** No documented maximum (§14.24); this only stops a runaway client from exhausting memory. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

const EXTRA_FIELD = { name: 'x_emulator_unknown_field', value: 'clients must ignore this' };

export function createRequestListener(
	deps: ServerDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
	return (req, res) => {
		handleExchange(deps, req, res).catch(() => {
			// Only reached if the socket itself failed mid-answer, so there is no client left to tell.
			res.destroy();
		});
	};
}

async function handleExchange(
	deps: ServerDeps,
	req: IncomingMessage,
	res: ServerResponse,
): Promise<void> {
	const method = req.method ?? 'GET';
	const url = new URL(req.url ?? '/', 'http://emulator.invalid');
	const entry: RequestLogEntry = {
		method,
		path: url.pathname,
		query: url.search.replace(/^\?/, ''),
		authorization: req.headers.authorization,
		status: 0,
		receivedAt: Date.now(),
	};
	deps.log.push(entry);
	const takeFault: TakeFault = (...kinds) => {
		const fault = deps.faults.take(kinds, { method, path: url.pathname });
		if (fault) entry.fault = entry.fault ? `${entry.fault}+${fault.kind}` : fault.kind;
		return fault;
	};

	const exchangeFault: ExchangeFault | undefined = takeFault(...EXCHANGE_FAULTS);
	if (exchangeFault?.kind === 'resetBefore') {
		req.socket.destroy();
		return;
	}
	const rawBody = await readBody(req);
	// The client went away while sending: there is nobody to answer.
	if (rawBody === undefined) return;

	const reply = serialize(answer(deps, exchangeFault, req, url, rawBody, takeFault), takeFault);
	switch (exchangeFault?.kind) {
		case 'resetAfter':
			req.socket.destroy();
			return;
		case 'malformedJson':
			send(res, entry, truncatedJson(reply));
			return;
		case 'stall':
			deps.stallTimers.after(exchangeFault.ms, () => send(res, entry, reply));
			return;
		default:
			send(res, entry, reply);
	}
}

/** Decides the response: an injected one, or the API's own. */
function answer(
	deps: ServerDeps,
	exchangeFault: ExchangeFault | undefined,
	req: IncomingMessage,
	url: URL,
	rawBody: string | null,
	takeFault: TakeFault,
): Reply {
	if (exchangeFault?.kind === 'status') return injectedStatus(exchangeFault, takeFault);
	if (exchangeFault?.kind === 'html') {
		return {
			status: exchangeFault.status,
			text: htmlErrorPage(exchangeFault.status),
			contentType: 'text/html; charset=utf-8',
		};
	}
	try {
		if (rawBody === null)
			throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `Request body over ${MAX_BODY_BYTES} bytes`);
		return route(deps, req, url, rawBody, takeFault);
	} catch (error: unknown) {
		const apiError =
			error instanceof ApiError
				? error
				: new ApiError(500, 'INTERNAL', error instanceof Error ? error.message : String(error));
		return errorReply(apiError, takeFault);
	}
}

function route(
	deps: ServerDeps,
	req: IncomingMessage,
	url: URL,
	rawBody: string,
	takeFault: TakeFault,
): Reply {
	const method = req.method ?? 'GET';
	for (const candidate of deps.routes) {
		const params = candidate.method === method ? candidate.pattern.exec(url.pathname) : null;
		if (!params) continue;
		if (candidate.authenticated) {
			const apiKey = authenticate(req.headers.authorization, deps.apiKeys);
			const refusal = rateLimit(deps, apiKey);
			if (refusal) return refusal;
		}
		const body = method === 'POST' ? parseJsonObject(rawBody) : {};
		return candidate.handle({ params: params.slice(1), query: url.searchParams, body, takeFault });
	}
	throw notFound(`No route for ${method} ${url.pathname}`);
}

/** §1 / §12: `Authorization: ApiKey <key>`; missing or malformed → 401, unknown key → 403. */
function authenticate(header: string | undefined, apiKeys: ReadonlySet<string>): string {
	const match = /^ApiKey\s+(\S+)\s*$/i.exec(header ?? '');
	if (!match) {
		throw new ApiError(
			401,
			'UNAUTHORIZED',
			'Missing or malformed Authorization header; expected "ApiKey <key>"',
		);
	}
	if (!apiKeys.has(match[1])) throw new ApiError(403, 'FORBIDDEN', 'Invalid API key');
	return match[1];
}

/** §10: only authenticated requests count, so a wrong key cannot exhaust someone else's budget. */
function rateLimit(deps: ServerDeps, apiKey: string): Reply | undefined {
	const decision = deps.limiter?.admit(apiKey, deps.clock.nowMs());
	if (!decision || decision.allowed) return undefined;
	deps.onRateLimited();
	const retryAfter =
		deps.retryAfterSeconds !== undefined
			? deps.retryAfterSeconds
			: Math.max(1, Math.ceil(deps.clock.toRealMs(decision.retryAfterMs) / 1000));
	// §10: the body and header the official mock sends; the live API may send neither header (§14.1).
	return {
		status: 429,
		json: { error: 'Rate limit exceeded' },
		headers: retryAfter === null ? {} : { 'retry-after': String(retryAfter) },
	};
}

function parseJsonObject(rawBody: string): Record<string, unknown> {
	let parsed: unknown;
	try {
		parsed = JSON.parse(rawBody);
	} catch {
		throw badRequest('Request body must be valid JSON');
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw badRequest('Request body must be a JSON object');
	}
	return parsed as Record<string, unknown>;
}

function errorReply(error: ApiError, takeFault: TakeFault): Reply {
	const shape: ErrorShape = takeFault('errorShape')?.shape ?? 'object';
	const json = errorBody(shape, error);
	return json === undefined ? { status: error.status, text: '' } : { status: error.status, json };
}

function injectedStatus(fault: FaultOf<'status'>, takeFault: TakeFault): Reply {
	const headers = fault.headers ?? {};
	if (fault.body !== undefined)
		return { status: fault.status, text: fault.body, contentType: JSON_CONTENT_TYPE, headers };
	if (fault.status < 400) return { status: fault.status, text: '', headers };
	return { ...errorReply(errorForStatus(fault.status), takeFault), headers };
}

function serialize(reply: Reply, takeFault: TakeFault): WireReply {
	const headers: Record<string, string> = {};
	let body: string;
	if ('json' in reply) {
		body = JSON.stringify(takeFault('extraFields') ? withExtraFields(reply.json) : reply.json);
		headers['content-type'] = JSON_CONTENT_TYPE;
	} else {
		body = reply.text;
		if (reply.contentType) headers['content-type'] = reply.contentType;
	}
	for (const [name, value] of Object.entries(reply.headers ?? {}))
		headers[name.toLowerCase()] = value;
	return { status: reply.status, headers, body };
}

/** §14.15: the live API adds fields the docs do not list; clients must ignore unknown ones. */
function withExtraFields(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(withExtraFields);
	if (typeof value !== 'object' || value === null) return value;
	const copy: Record<string, unknown> = {};
	for (const [key, field] of Object.entries(value)) copy[key] = withExtraFields(field);
	copy[EXTRA_FIELD.name] = EXTRA_FIELD.value;
	return copy;
}

function truncatedJson(reply: WireReply): WireReply {
	const cut = Math.max(1, Math.floor(reply.body.length / 2));
	const body = reply.body.length > 1 ? reply.body.slice(0, cut) : '{"';
	return { status: 200, headers: { 'content-type': JSON_CONTENT_TYPE }, body };
}

function htmlErrorPage(status: number): string {
	const reason = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
	return `<!DOCTYPE html>\n<html><head><title>${reason}</title></head><body><center><h1>${reason}</h1></center><hr><center>nginx</center></body></html>\n`;
}

function send(res: ServerResponse, entry: RequestLogEntry, reply: WireReply): void {
	if (res.destroyed) return;
	entry.status = reply.status;
	res.writeHead(reply.status, {
		...reply.headers,
		'content-length': String(Buffer.byteLength(reply.body)),
	});
	res.end(reply.body);
}

/** The body as text; null when it was over the limit (drained, not kept); undefined when the client aborted. */
function readBody(req: IncomingMessage): Promise<string | null | undefined> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= MAX_BODY_BYTES) chunks.push(chunk);
		});
		req.on('end', () =>
			resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')),
		);
		// After 'end' has resolved, these later resolves are no-ops; before it, the client has gone.
		req.on('error', () => resolve(undefined));
		req.on('close', () => resolve(undefined));
	});
}

/** Listens and resolves with the base URL (no trailing slash). */
export function listen(server: Server, host: string, port: number): Promise<string> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			const { port: boundPort } = server.address() as AddressInfo;
			const hostPart = host.includes(':') ? `[${host}]` : host;
			resolve(`http://${hostPart}:${boundPort}`);
		});
	});
}

/** Stops listening and drops every connection, including keep-alive and stalled ones. */
export function closeServer(server: Server): Promise<void> {
	return new Promise((resolve) => {
		if (!server.listening) {
			resolve();
			return;
		}
		server.close(() => resolve());
		server.closeAllConnections();
	});
}
