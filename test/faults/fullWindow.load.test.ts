import path from 'node:path';

import { BlocksEmulator } from '../../emulator';
import { replaceClock } from '../../nodes/Blocks/time';
import { writeMarkdownSection } from '../support/markdownSection';
import { BAD_INPUTS } from '../support/badInputs';
import { SEND_FAULTS, WAIT_FAULTS } from '../support/faultKinds';
import { nodeOutput, runNode } from '../support/blocksRun';
import { ScaledClock, wallNowMs } from '../engine/scaledClock';

/**
 * 200 waits through one key, for more than the emulator's full 100-requests-a-minute window,
 * with faults on. Time runs 10× faster for the emulator and the node alike. With
 * BLOCKS_WRITE_FIGURES=1 (`npm run figures:reliability`) it writes its figures into
 * docs/reliability.md; a plain run changes no file.
 */
const SCALE = 10;
const WAITS = 200;
const FAULTS = [
	{
		match: { method: 'GET' },
		times: 15,
		fault: { kind: 'status', status: 429, headers: { 'Retry-After': '2' } },
	},
	{ match: { method: 'GET' }, times: 15, fault: { kind: 'status', status: 429 } },
	{ match: { method: 'POST' }, times: 10, fault: { kind: 'status', status: 429 } },
	{ match: { method: 'GET' }, times: 15, fault: { kind: 'status', status: 503 } },
	{ match: { method: 'GET' }, times: 15, fault: { kind: 'status', status: 500 } },
	{ match: { method: 'GET' }, times: 15, fault: { kind: 'resetBefore' } },
	{ match: { method: 'GET' }, times: 10, fault: { kind: 'html', status: 502 } },
	{ match: { method: 'GET' }, times: 10, fault: { kind: 'malformedJson' } },
	{ match: { method: 'GET' }, times: 10, fault: { kind: 'stall', ms: 200 } },
] as const;

test(`${WAITS} concurrent waits through one key under faults: none fails, memory stays flat`, async () => {
	// Replies spread over 10 to 90 emulated seconds, from a fixed seed.
	let seed = 42;
	const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
	const emulator = await BlocksEmulator.start({
		timeScale: SCALE,
		retryAfterSeconds: null,
		agent: () => ({ reply: 'done', delayMs: 10_000 + next() * 80_000 }),
	});
	// the node's time runs SCALE times faster than the wall clock, as the emulator's does
	const restoreClock = replaceClock(new ScaledClock(SCALE, Date.now(), wallNowMs(), Math.random));
	const gc = (global as { gc?: () => void }).gc;
	try {
		for (const rule of FAULTS) emulator.faults.add(rule as never);
		gc?.();
		const heapBefore = process.memoryUsage().heapUsed;
		const started = Date.now();

		const run = await runNode(
			{
				resource: 'session',
				operation: 'create',
				agentName: 'claude',
				message: '={{ $json.task }}',
				waitForReply: true,
				maxWaitSeconds: 3_600,
			},
			{
				credential: { apiKey: emulator.apiKey, baseUrl: emulator.url },
				input: Array.from({ length: WAITS }, (_, i) => ({ task: `task ${i}` })),
				node: { onError: 'continueRegularOutput' },
			},
		);
		const realMs = Date.now() - started;
		gc?.();
		const heapAfter = process.memoryUsage().heapUsed;

		const items = nodeOutput(run, 'Blocks');
		const failed = items.filter((item) => item.json.status !== 'replied');
		const stats = emulator.stats();
		const statuses = emulator.requests.reduce<Record<string, number>>((count, entry) => {
			count[entry.status] = (count[entry.status] ?? 0) + 1;
			return count;
		}, {});

		const figures: Figures = {
			waits: WAITS,
			replied: items.length - failed.length,
			failed: failed.length,
			sessionsCreated: stats.sessionsCreated,
			requests: stats.requests,
			rateLimited: stats.rateLimited,
			faultsApplied: emulator.faults.applied(),
			statuses,
			emulatedSeconds: Math.round((realMs * SCALE) / 1000),
			heapBeforeMb: heapBefore / 2 ** 20,
			heapAfterMb: heapAfter / 2 ** 20,
			gc: Boolean(gc),
		};
		if (process.env.BLOCKS_WRITE_FIGURES === '1') writeReliabilityFigures(figures);

		expect(failed.map((item) => item.json)).toEqual([]);
		expect(items).toHaveLength(WAITS);
		expect(stats.sessionsCreated).toBe(WAITS);
		// 429s were answered (injected ones at least) and none of them failed an item.
		expect(statuses['429']).toBeGreaterThan(0);
		expect(realMs * SCALE).toBeGreaterThan(60_000);
		if (gc) expect(heapAfter - heapBefore).toBeLessThan(64 * 2 ** 20);
	} finally {
		restoreClock();
		await emulator.close();
	}
}, 240_000);

interface Figures {
	waits: number;
	replied: number;
	failed: number;
	sessionsCreated: number;
	requests: number;
	rateLimited: number;
	faultsApplied: number;
	statuses: Record<string, number>;
	emulatedSeconds: number;
	heapBeforeMb: number;
	heapAfterMb: number;
	gc: boolean;
}

/** The figures table of docs/reliability.md, from this run and the fault suites' own lists. */
function writeReliabilityFigures(f: Figures) {
	const statuses = Object.entries(f.statuses)
		.map(([status, n]) => `${n}× ${status === '0' ? 'reset' : status}`)
		.join(', ');
	const table = [
		'| What was tried | Count | What held |',
		'|---|---|---|',
		`| Bad inputs across every field of every operation (\`test/support/badInputs.ts\`) | ${BAD_INPUTS.length} | each rejected before any request, with a NodeOperationError naming the field and the item |`,
		`| Fault kinds on creates and follow-ups (\`test/faults/noDuplicates.test.ts\`) | ${SEND_FAULTS.length} | at most one session per item, at most one follow-up per item; ambiguous failures say what to check |`,
		`| Fault kinds on waits (\`test/faults/waitsUnderFaults.test.ts\`) | ${WAIT_FAULTS.length} | reply still returned; with no reply, the wait ends at its max wait |`,
		`| Concurrent waits through one key (\`test/faults/fullWindow.load.test.ts\`) | ${f.waits} | ${f.replied} replied, ${f.failed} failed, ${f.sessionsCreated} sessions created |`,
		`| Requests sent in that run (${f.emulatedSeconds} emulated seconds, time ×${SCALE}) | ${f.requests} | ${statuses} |`,
		`| Faults injected in that run | ${f.faultsApplied} | no item failed; ${f.statuses['429'] ?? 0} answers were 429 (${f.rateLimited} from the emulator's own limit) and none became an error |`,
		`| Heap before and after that run${f.gc ? ' (after GC)' : ''} | ${f.heapBeforeMb.toFixed(1)} MB → ${f.heapAfterMb.toFixed(1)} MB | flat |`,
	].join('\n');
	const date = new Date().toISOString().slice(0, 10);
	writeMarkdownSection(
		path.resolve(__dirname, '../../docs/reliability.md'),
		'figures',
		`${table}\n\nGenerated by \`npm run figures:reliability\` on ${date}.`,
	);
}
