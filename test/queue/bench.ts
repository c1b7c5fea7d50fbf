/**
 * `npm run bench:queue`: the same 100 waits (4 executions × 25 items started at once through a
 * Webhook, one key, replies 30–150 s after each create, the emulator with its 100 requests/minute
 * limit) run once through a single n8n process (regular mode: the baseline) and once through n8n
 * in queue mode (a main and two workers at concurrency 5, the processes setting at 2), in real
 * time, on n8n 2.41.1 with the packed package, set up as `npm run test:queue` sets it up
 * (test/queue/environment.ts). Prints the wall time of the 100 waits, requests, the share of 429s,
 * the ratio queue ÷ single, and the bound the key's budget forces. Not part of CI: it takes
 * about 9 minutes. Writes the table to bench-results/queue.md.
 *
 * Environment: E2E_KEEP=1 keeps the work folder; BENCH_QUEUE_TIMEOUT_MINUTES (default 25).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { runWithDeadline, QueueEnvironment, type KeyCredential } from './environment';
import { checkSpread, replyDelayMs, startSpread, type SpreadResult } from './scenarios';
import { spreadWorkflow } from './workflows';
import { markdownTable, ratio, seconds } from '../bench/report';
import { machine, nodeVersion } from '../bench/runInfo';

const TIMEOUT_MIN = Number(process.env.BENCH_QUEUE_TIMEOUT_MINUTES || 25);
const OUTPUT = path.resolve(__dirname, '../../../bench-results/queue.md');
/** Both runs post the same messages, so the agent gives them the same reply times. */
const LABEL = 'bench';

interface Setup {
	title: string;
	workers: number;
	env?: NodeJS.ProcessEnv;
	credential: KeyCredential;
}

const SETUPS: Setup[] = [
	{
		title: 'Single n8n process (regular mode)',
		workers: 0,
		env: { EXECUTIONS_MODE: 'regular' },
		credential: {
			id: 'benchBlocksSingle',
			name: 'Blocks (one process)',
			apiKey: 'blk_bench_queue_single',
			processes: 1,
		},
	},
	{
		title: 'Queue mode: a main and 2 workers (processes setting 2)',
		workers: 2,
		credential: {
			id: 'benchBlocksQueue',
			name: 'Blocks (two workers)',
			apiKey: 'blk_bench_queue_workers',
			processes: 2,
		},
	},
];

function report(results: Array<{ setup: Setup; result: SpreadResult }>, n8nVersion: string) {
	const [single] = results;
	const rows = results.map(({ setup, result }) => [
		setup.title,
		seconds(result.wallMs),
		seconds(result.boundMs),
		String(result.use.requests),
		`${result.use.rateLimited} (${((100 * result.use.rateLimited) / Math.max(1, result.use.requests)).toFixed(1)} %)`,
		String(result.use.sessionsCreated),
		ratio(result.wallMs, single.result.wallMs),
	]);
	return [
		`Command: \`npm run bench:queue\` · ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ` +
			`${machine()} · ${nodeVersion()} · n8n ${n8nVersion}`,
		'',
		markdownTable(
			[
				'Setup',
				'Wall time of the 100 waits',
				'Bound the budget forces',
				'Requests',
				'429s',
				'Sessions',
				'÷ single process',
			],
			rows,
		),
		'',
		'Wall time: from the first webhook call n8n took to the last execution stopped (n8n’s records). The bound: ' +
			'what a client that knew every reply time would take at the key’s 90 requests a minute (100 less the ' +
			'10 % reserve): creates back to back, then one poll per session as its reply is ready.',
	].join('\n');
}

runWithDeadline('queue bench', TIMEOUT_MIN, async ({ checks, workDir, phase, stopping }) => {
	const env = await QueueEnvironment.start(checks, workDir, {
		apiKeys: SETUPS.map((setup) => setup.credential.apiKey),
		replyDelayMs,
		phase,
		stopping,
	});
	const results: Array<{ setup: Setup; result: SpreadResult }> = [];
	for (const [index, setup] of SETUPS.entries()) {
		phase(setup.title);
		const workflow = spreadWorkflow(`benchSpread${index}`, `bench-${index}`, setup.credential);
		const running = await env.startCluster({
			name: `setup-${index}`,
			workers: setup.workers,
			concurrency: 5,
			env: setup.env,
			credentials: [setup.credential],
			workflows: [workflow],
		});
		const started = await startSpread(running.ctx, { label: LABEL, webhookPath: `bench-${index}` });
		if (!started) throw new Error(`${setup.title}: the executions did not start`);
		const result = await checkSpread(running.ctx, started, {
			workflowId: workflow.id!,
			apiKey: setup.credential.apiKey,
			processes: setup.credential.processes,
		});
		if (!result) throw new Error(`${setup.title}: the 100 waits did not all finish`);
		results.push({ setup, result });
		await running.stop();
	}
	const markdown = report(results, env.n8nVersion);
	mkdirSync(path.dirname(OUTPUT), { recursive: true });
	writeFileSync(OUTPUT, `${markdown}\n`);
	console.log(`\n${markdown}\n\nWritten to ${path.relative(process.cwd(), OUTPUT)}`);
}).then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	},
);
