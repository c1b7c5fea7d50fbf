import * as fs from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

import type { IBinaryData } from 'n8n-workflow';

import { BlocksEmulator, type ForeignHost } from '../../emulator';
import type { WorkflowJson } from '../engine';
import { nodeError, nodeOutput, runBlocks, runNode } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';

const api = useEmulator();

async function newSession(): Promise<string> {
	return (await api.startSession('Plan the change')).id as string;
}

const storageRequests = () => api.emulator.storageRequests;

describe('Artifact: Get', () => {
	test('outputs the artifact’s metadata, without downloading it unless asked', async () => {
		const sessionId = await newSession();
		const artifactId = api.emulator.addArtifact(sessionId, { file_name: 'PLAN.md' });

		const run = await runNode(
			{ resource: 'artifact', operation: 'get', sessionId, artifactId },
			{ credential: api.credential },
		);

		const [item] = nodeOutput(run, 'Blocks') as Array<{ json: object; binary?: object }>;
		expect(item.json).toMatchObject({ id: artifactId, file_name: 'PLAN.md', kind: 'plan' });
		expect(item.binary).toBeUndefined();
		expect(storageRequests()).toHaveLength(0);
	});

	test('with Download, outputs the file as binary data with its name and MIME type', async () => {
		const sessionId = await newSession();
		const content = '# Plan\n\n1. Add the endpoint.\n2. Test it.\n';
		const artifactId = api.emulator.addArtifact(sessionId, {
			file_name: 'PLAN.md',
			mime_type: 'text/markdown',
			content,
		});

		const run = await runNode(
			{
				resource: 'artifact',
				operation: 'get',
				sessionId,
				artifactId,
				download: true,
				binaryPropertyName: 'plan',
			},
			{ credential: api.credential },
		);

		const [item] = nodeOutput(run, 'Blocks') as Array<{ binary?: Record<string, IBinaryData> }>;
		const file = item.binary?.plan;
		expect(file).toMatchObject({ fileName: 'PLAN.md', mimeType: 'text/markdown' });
		expect(Buffer.from(file!.data, 'base64').toString('utf8')).toBe(content);
	});

	test('the storage host never sees the API key', async () => {
		const storage: ForeignHost = await BlocksEmulator.startForeignHost();
		try {
			const sessionId = await newSession();
			const onEmulator = api.emulator.addArtifact(sessionId, { file_name: 'a.md' });
			const elsewhere = api.emulator.addArtifact(sessionId, {
				file_name: 'b.md',
				url: `${storage.url}/bucket/b.md?X-Signature=abc`,
			});

			for (const artifactId of [onEmulator, elsewhere]) {
				const run = await runNode(
					{ resource: 'artifact', operation: 'get', sessionId, artifactId, download: true },
					{ credential: api.credential },
				);
				expect(nodeError(run, 'Blocks')).toBeUndefined();
			}

			// The emulator's storage host refuses (400) any request that carries the key.
			expect(storageRequests().map((entry) => [entry.authorization, entry.status])).toEqual([
				[undefined, 200],
			]);
			expect(storage.requests.map((entry) => [entry.path, entry.authorization])).toEqual([
				['/bucket/b.md', undefined],
			]);
			// The API calls themselves did carry it.
			const apiCalls = api.emulator.requests.filter((entry) =>
				/^\/rest\/v1\/.*\/artifacts\//.test(entry.path),
			);
			expect(apiCalls.map((entry) => entry.authorization)).toEqual([
				`ApiKey ${api.apiKey}`,
				`ApiKey ${api.apiKey}`,
			]);
		} finally {
			await storage.close();
		}
	});

	test('a download link that is not https is refused, naming the host, and nothing is fetched', async () => {
		const storage = await BlocksEmulator.startForeignHost();
		try {
			const sessionId = await newSession();
			// A loopback port is used so that, were the link followed, the request would be seen.
			const plainHttp = storage.url.replace('127.0.0.1', 'localtest.invalid');
			const artifactId = api.emulator.addArtifact(sessionId, { url: `${plainHttp}/b.md?sig=1` });
			const ftp = api.emulator.addArtifact(sessionId, { url: 'ftp://127.0.0.1/b.md' });

			for (const id of [artifactId, ftp]) {
				const run = await runNode(
					{ resource: 'artifact', operation: 'get', sessionId, artifactId: id, download: true },
					{ credential: api.credential },
				);
				const error = nodeError(run, 'Blocks');
				expect(error?.message).toMatch(/download link that is not https \((http|ftp):\/\//);
				expect(error?.message).not.toMatch(/sig=/);
			}
			expect(storage.requests).toHaveLength(0);
		} finally {
			await storage.close();
		}
	});

	test('a download that breaks off mid-file fails the item, naming the host, not the link', async () => {
		// Headers for 1 MiB, a few bytes, then the connection is cut.
		const storage = createServer((_request, response) => {
			response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1048576' });
			response.write('partial', () => response.socket?.destroy());
		});
		await new Promise<void>((done) => storage.listen(0, '127.0.0.1', done));
		try {
			const { port } = storage.address() as AddressInfo;
			const sessionId = await newSession();
			const artifactId = api.emulator.addArtifact(sessionId, {
				url: `http://127.0.0.1:${port}/bundle.txt?signature=secret`,
			});

			const run = await runNode(
				{ resource: 'artifact', operation: 'get', sessionId, artifactId, download: true },
				{ credential: api.credential },
			);

			const error = nodeError(run, 'Blocks');
			expect(error?.message).toBe(
				`The artifact download broke off (from http://127.0.0.1:${port})`,
			);
			expect(JSON.stringify(error)).not.toMatch(/signature=secret/);
		} finally {
			await new Promise((done) => storage.close(done));
		}
	});

	test('an artifact that is not the session’s fails with Blocks’ 404 and its hint', async () => {
		const sessionId = await newSession();
		const other = api.emulator.addArtifact();

		const run = await runNode(
			{ resource: 'artifact', operation: 'get', sessionId, artifactId: other },
			{ credential: api.credential },
		);

		expect(nodeError(run, 'Blocks')?.message).toMatch(/404/);
	});

	test('a bad Artifact ID is refused before any request, naming the field and the item', async () => {
		const sessionId = await newSession();
		const before = api.emulator.requests.length;

		const run = await runNode(
			{ resource: 'artifact', operation: 'get', sessionId, artifactId: '../messages' },
			{ credential: api.credential },
		);

		expect(nodeError(run, 'Blocks')?.message).toMatch(/^Artifact ID must be a UUID.*\(item 0\)$/);
		expect(api.emulator.requests.length).toBe(before);
	});
});

describe('Artifact: Get Many for Session', () => {
	test('outputs each plan of the session, oldest first, each downloaded when asked', async () => {
		const sessionId = await newSession();
		const planA = api.emulator.addArtifact(sessionId, { file_name: 'A.md', content: 'a' });
		const planB = api.emulator.addArtifact(sessionId, { file_name: 'B.md', content: 'b' });
		api.emulator.addArtifact(sessionId, { kind: 'file', file_name: 'notes.txt' });

		const run = await runNode(
			{ resource: 'artifact', operation: 'getAllForSession', sessionId, download: true },
			{ credential: api.credential, input: [{ n: 1 }] },
		);

		const items = nodeOutput(run, 'Blocks') as Array<{
			json: { id: string };
			binary?: Record<string, IBinaryData>;
			pairedItem?: unknown;
		}>;
		expect(items.map((item) => item.json.id)).toEqual([planA, planB]);
		expect(items.map((item) => Buffer.from(item.binary!.data.data, 'base64').toString())).toEqual([
			'a',
			'b',
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
	});

	test('a session without plans outputs no items', async () => {
		const sessionId = await newSession();

		const run = await runNode(
			{ resource: 'artifact', operation: 'getAllForSession', sessionId },
			{ credential: api.credential },
		);

		expect(nodeOutput(run, 'Blocks')).toEqual([]);
	});
});

describe('examples/artifacts.workflow.json', () => {
	test('outputs the plan the agent wrote as a file', async () => {
		api.emulator.setAgent((turn) => {
			api.emulator.addArtifact(turn.sessionId, { file_name: 'PLAN.md', content: '# Health check' });
			return { reply: 'The plan is written.' };
		});
		const example = JSON.parse(
			fs.readFileSync(path.join(__dirname, '../../examples/artifacts.workflow.json'), 'utf8'),
		) as WorkflowJson;

		const run = await runBlocks(example, { credential: api.credential });

		const [plan] = nodeOutput(run, 'Get the Plans') as Array<{
			json: { file_name: string };
			binary?: Record<string, IBinaryData>;
		}>;
		expect(plan.json.file_name).toBe('PLAN.md');
		expect(Buffer.from(plan.binary!.data.data, 'base64').toString()).toBe('# Health check');
	});
});
