import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';

import { nodeOutput, runNode } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';

/**
 * An artifact download streams into n8n's binary data: in n8n's filesystem mode (its default
 * outside queue mode) the file goes to disk as it arrives and the node never holds it whole.
 */
const api = useEmulator();
/** 256 MB; `BLOCKS_ARTIFACT_MB=500` measures another size and prints the figure. */
const FILE_MB = Number(process.env.BLOCKS_ARTIFACT_MB ?? 256);
const FILE_BYTES = FILE_MB * 1024 * 1024;
/** Far below the file: a download held whole would need all of it at once. */
const HELD_AT_MOST = 64 * 1024 * 1024;

let storage: string;
beforeAll(async () => {
	storage = mkdtempSync(join(tmpdir(), 'blocks-binary-'));
	const service = Container.get(BinaryDataService);
	Object.assign((service as unknown as { config: object }).config, {
		mode: 'filesystem',
		localStoragePath: storage,
	});
	await service.init();
});
afterAll(() => rmSync(storage, { recursive: true, force: true }));

/** Memory the download could hold: the JS heap and the Buffers outside it. */
const held = () => {
	const { heapUsed, arrayBuffers } = process.memoryUsage();
	return heapUsed + arrayBuffers;
};

test(`a ${FILE_MB} MB artifact streams to n8n’s binary data store without being held in memory`, async () => {
	const sessionId = (await api.startSession('Build the bundle')).id as string;
	const artifactId = api.emulator.addArtifact(sessionId, {
		file_name: 'bundle.txt',
		kind: 'file',
		generatedBytes: FILE_BYTES,
	});
	const before = held();
	let peak = before;
	// Sampled while the download runs: a Buffer of the whole file would show up between chunks.
	const sampler = setInterval(() => (peak = Math.max(peak, held())), 5);

	try {
		const run = await runNode(
			{ resource: 'artifact', operation: 'get', sessionId, artifactId, download: true },
			{ credential: api.credential },
		);

		const [item] = nodeOutput(run, 'Blocks') as Array<{ binary?: Record<string, IBinaryData> }>;
		const file = Object.values(item.binary ?? {})[0];
		expect(file).toMatchObject({ fileName: 'bundle.txt', bytes: FILE_BYTES });
		expect(file.id).toMatch(/^filesystem/);
	} finally {
		clearInterval(sampler);
	}
	if (process.env.BLOCKS_ARTIFACT_MB) {
		const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
		process.stdout.write(
			`${FILE_MB} MB artifact: heap + buffers ${mb(before)} MB before, peak ${mb(peak)} MB (+${mb(peak - before)} MB)\n`,
		);
	}
	expect(peak - before).toBeLessThan(HELD_AT_MOST);
});
