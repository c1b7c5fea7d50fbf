import type { IncomingMessage, ServerResponse } from 'node:http';

import type { TimerSet } from './clock';
import type { TakeFault } from './endpoint';
import type { ErrorShape } from './errors';
import { ApiError, errorReply } from './errors';
import type { ExchangeFault, FaultSwitchboard } from './faults';
import {
	EXCHANGE_FAULTS,
	injectedReply,
	JSON_CONTENT_TYPE,
	truncatedJson,
	withExtraFields,
} from './faults';
import type { Reply } from './reply';
import type { RequestLogEntry } from './requestLog';
import { logEntryFor } from './requestLog';
import type { ApiRequest } from './router';

export interface ServerDeps {
	route(request: ApiRequest): Reply;
	faults: FaultSwitchboard;
	log: RequestLogEntry[];
	/** Timers holding stalled responses; cancelled by close(). */
	stallTimers: TimerSet;
	/** The error body shape when no `errorShape` fault applies (errors.ts). */
	errorShape: ErrorShape;
}

/** A response ready for the socket. */
interface WireReply {
	status: number;
	headers: Record<string, string>;
	body: string;
}

/** No documented maximum (docs/blocks-api.md §14.24); this only stops a runaway client from exhausting memory. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * One HTTP exchange: log it, apply the exchange faults (faults.ts), ask the router, give errors
 * their body shape, serialise, send.
 */
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
	const { entry, url } = logEntryFor(req);
	deps.log.push(entry);
	const takeFault: TakeFault = (...kinds) => {
		const fault = deps.faults.take(kinds, {
			method: entry.method,
			path: entry.path,
			query: entry.query,
		});
		if (fault) entry.fault = entry.fault ? `${entry.fault}+${fault.kind}` : fault.kind;
		return fault;
	};
	const errorShape = () => takeFault('errorShape')?.shape ?? deps.errorShape;

	const exchangeFault: ExchangeFault | undefined = takeFault(...EXCHANGE_FAULTS);
	if (exchangeFault?.kind === 'resetBefore') {
		req.socket.destroy();
		return;
	}
	const rawBody = await readBody(req);
	// The client went away while sending: there is nobody to answer.
	if (rawBody === undefined) return;

	let reply: Reply;
	if (exchangeFault?.kind === 'status' || exchangeFault?.kind === 'html') {
		reply = injectedReply(exchangeFault, errorShape);
	} else {
		try {
			if (rawBody === null)
				throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `Request body over ${MAX_BODY_BYTES} bytes`);
			reply = deps.route({
				method: entry.method,
				url,
				authorization: req.headers.authorization,
				rawBody,
				takeFault,
			});
		} catch (error: unknown) {
			reply = errorReply(asApiError(error), errorShape());
		}
	}
	const wire = serialize(reply, takeFault);
	switch (exchangeFault?.kind) {
		case 'resetAfter':
			req.socket.destroy();
			return;
		case 'malformedJson':
			send(res, entry, {
				...truncatedJson(wire.body),
				headers: { 'content-type': JSON_CONTENT_TYPE },
			});
			return;
		case 'stall':
			deps.stallTimers.after(exchangeFault.ms, () => send(res, entry, wire));
			return;
		default:
			send(res, entry, wire);
	}
}

function asApiError(error: unknown): ApiError {
	if (error instanceof ApiError) return error;
	return new ApiError(500, 'INTERNAL', error instanceof Error ? error.message : String(error));
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
