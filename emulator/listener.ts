import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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
