import { createServer } from 'node:http';

import { closeServer, listen } from './listener';
import type { RequestLogEntry } from './requestLog';
import { logEntryFor } from './requestLog';

export interface ForeignHost {
	url: string;
	/** Every request received, with its Authorization header, so a test can prove the key never arrived. */
	requests: RequestLogEntry[];
	close(): Promise<void>;
}

/**
 * A stranger on loopback, standing in for an unexpected `_links` host (docs/blocks-api.md §14.21)
 * or a storage host (§3.6). It answers every request 200 `{"items":[]}` so a client that follows
 * a link there does not stop at an error before the test can inspect what it sent.
 */
export async function startForeignHost(host = '127.0.0.1'): Promise<ForeignHost> {
	const requests: RequestLogEntry[] = [];
	const server = createServer((req, res) => {
		const { entry } = logEntryFor(req);
		entry.status = 200;
		requests.push(entry);
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
