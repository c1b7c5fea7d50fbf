import { createServer } from 'node:http';

import type { RequestLogEntry } from './server';
import { closeServer, listen } from './server';

export interface ForeignHost {
	url: string;
	/** Every request received, with its Authorization header, so a test can prove the key never arrived. */
	requests: RequestLogEntry[];
	close(): Promise<void>;
}

/**
 * A stranger on loopback, standing in for an unexpected `_links` host (§14.21) or a storage host
 * (§3.6). It answers every request 200 `{"items":[]}` so a client that follows a link there does
 * not stop at an error before the test can inspect what it sent.
 */
export async function startForeignHost(host = '127.0.0.1'): Promise<ForeignHost> {
	const requests: RequestLogEntry[] = [];
	const server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://foreign.invalid');
		requests.push({
			method: req.method ?? 'GET',
			path: url.pathname,
			query: url.search.replace(/^\?/, ''),
			authorization: req.headers.authorization,
			status: 200,
			receivedAt: Date.now(),
		});
		// Drain the body before answering so POSTs are not cut off mid-send.
		req.resume();
		req.on('end', () => {
			const body = JSON.stringify({ items: [] });
			res.writeHead(200, {
				'content-type': 'application/json; charset=utf-8',
				'content-length': String(body.length),
			});
			res.end(body);
		});
	});
	const url = await listen(server, host, 0);
	return { url, requests, close: () => closeServer(server) };
}
