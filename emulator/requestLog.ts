import type { IncomingMessage } from 'node:http';

/** One request as a listener received it. */
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

/** A log entry for `req`, not yet answered, and its parsed URL. */
export function logEntryFor(req: IncomingMessage): { entry: RequestLogEntry; url: URL } {
	const url = new URL(req.url ?? '/', 'http://listener.invalid');
	const entry: RequestLogEntry = {
		method: req.method ?? 'GET',
		path: url.pathname,
		query: url.search.replace(/^\?/, ''),
		authorization: req.headers.authorization,
		status: 0,
		receivedAt: Date.now(),
	};
	return { entry, url };
}
