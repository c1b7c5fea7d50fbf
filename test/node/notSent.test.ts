import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { INodeParameters } from 'n8n-workflow';

import { nodeError, runNode } from '../support/blocksRun';

/**
 * Creates and follow-ups that fail before the request left n8n say so, over real sockets: a
 * closed port, a host that does not resolve, a certificate n8n does not trust. A connection
 * reset after the request was written stays "may have been applied".
 */
const SESSION = '0f8fad5b-d9cb-469f-a165-70867728950e';
const create = { resource: 'session', operation: 'create', agentName: 'claude', message: 'Hi' };
const send = { resource: 'session', operation: 'sendMessage', sessionId: SESSION, message: 'Hi' };
const NOT_SENT = /not sent; safe to run again/;
const MAY_HAVE = /may have been applied/;

const servers: Server[] = [];
afterAll(async () => {
	await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
});

async function listen(server: Server): Promise<string> {
	servers.push(server);
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	const address = server.address();
	if (!address || typeof address === 'string') throw new Error('no port');
	return `127.0.0.1:${address.port}`;
}

async function closedPort(): Promise<string> {
	const server = createServer();
	const host = await listen(server);
	servers.pop();
	await new Promise((done) => server.close(done));
	return `http://${host}`;
}

/** Reads the request's first bytes, then resets the connection: the write reached the server. */
async function resettingServer(): Promise<string> {
	const server = createServer((socket: Socket) => {
		socket.once('data', () => socket.resetAndDestroy());
	});
	return `http://${await listen(server)}`;
}

/** An https server whose certificate nobody signed: the handshake fails before any request. */
async function untrustedTlsServer(): Promise<string> {
	const dir = mkdtempSync(join(tmpdir(), 'blocks-tls-'));
	try {
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-newkey',
				'rsa:2048',
				'-nodes',
				'-days',
				'1',
				'-subj',
				'/CN=127.0.0.1',
				'-keyout',
				join(dir, 'key.pem'),
				'-out',
				join(dir, 'cert.pem'),
			],
			{ stdio: 'ignore' },
		);
		const server = createHttpsServer(
			{ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
			(_request, response) => response.end('{}'),
		);
		return `https://${await listen(server)}`;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

async function failureAt(baseUrl: string, parameters: INodeParameters) {
	const run = await runNode(parameters, { credential: { apiKey: 'blk_test', baseUrl } });
	return nodeError(run, 'Blocks');
}

describe('a write that never left says so', () => {
	test.each([
		['Create Session', create],
		['Send Message', send],
	])('%s to a closed port: not sent, safe to run again', async (_name, parameters) => {
		const error = await failureAt(await closedPort(), parameters);

		expect(error?.message).toMatch(/\(ECONNREFUSED\)/);
		expect(error?.message).toMatch(NOT_SENT);
		expect(`${error?.message} ${error?.description}`).not.toMatch(MAY_HAVE);
	});

	test('Create Session to a host that does not resolve: not sent, safe to run again', async () => {
		const error = await failureAt('http://blocks-api.invalid', create);

		expect(error?.message).toMatch(/\((ENOTFOUND|EAI_AGAIN)\)/);
		expect(error?.message).toMatch(NOT_SENT);
	});

	test('Send Message to a certificate n8n does not trust: not sent, safe to run again', async () => {
		const error = await failureAt(await untrustedTlsServer(), send);

		expect(error?.message).toMatch(/\(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
		expect(error?.message).toMatch(NOT_SENT);
	});

	test('Create Session reset after the request was written: it may have been applied', async () => {
		const error = await failureAt(await resettingServer(), create);

		expect(error?.message).toMatch(/\(ECONNRESET\)/);
		expect(error?.message).toMatch(MAY_HAVE);
		expect(error?.message).not.toMatch(NOT_SENT);
	});
});
