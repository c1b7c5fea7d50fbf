/**
 * A stand-in for a chat tool's incoming webhook (Slack, Mattermost, Teams): a loopback HTTP
 * server on a free port that records every JSON body posted to it and answers 200.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface ChatWebhook {
	/** The URL to post to. */
	url: string;
	/** The JSON bodies received so far, in order. */
	received: unknown[];
	close(): Promise<void>;
}

export async function startChatWebhook(): Promise<ChatWebhook> {
	const received: unknown[] = [];
	const server = http.createServer((req, res) => {
		let text = '';
		req.setEncoding('utf8');
		req.on('data', (chunk: string) => (text += chunk));
		req.on('end', () => {
			try {
				received.push(JSON.parse(text));
			} catch {
				received.push(text);
			}
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/hooks/chat`,
		received,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
