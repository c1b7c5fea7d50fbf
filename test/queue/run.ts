/**
 * Queue mode, for real: Redis and PostgreSQL from Debian, n8n 2.41.1 as a main and two workers
 * (concurrency 5 each), the packed package installed into each, and the Blocks API emulator with
 * its 100 requests/minute limit (environment.ts). Then the scenarios of scenarios.ts and
 * longTurn.ts, and timeLimitTurn.ts.
 *
 *   npm run test:queue
 *
 * A global deadline (QUEUE_TIMEOUT_MINUTES, default 14) stops everything; so does any failure
 * or signal: n8n, the services and their throwaway folders go with this process.
 *
 * Environment: QUEUE_TIMEOUT_MINUTES, N8N_E2E_CACHE (see test/real-n8n/install.ts), E2E_KEEP=1 keeps the
 * work folder (logs, n8n folders), QUEUE_RESULTS=<file> writes the measured figures as JSON,
 * QUEUE_SCENARIOS=spread,long,limit,kill (the default: all) runs only those named.
 *
 * Prints one PASS/FAIL line per check, REPORT lines with the figures, and ends with
 * "N passed, N failed"; exits 1 on any failure.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runWithDeadline, QueueEnvironment, type KeyCredential } from './environment';
import { longTurn, longTurnWorkflow } from './longTurn';
import { checkSpread, replyDelayMs, startSpread, workerDies } from './scenarios';
import { timeLimitTurn, timeLimitTurnWorkflow } from './timeLimitTurn';
import { resumeWorkflow, spreadWorkflow } from './workflows';

const TIMEOUT_MIN = Number(process.env.QUEUE_TIMEOUT_MINUTES || 14);
const WORKERS = 2;
const CONCURRENCY = 5;
const SCENARIOS = new Set((process.env.QUEUE_SCENARIOS || 'spread,long,limit,kill').split(','));

/** One key per scenario: Blocks limits each key on its own, so the scenarios do not meet. */
const CREDENTIALS = {
	shared: {
		id: 'queueBlocksCred2',
		name: 'Blocks (processes 2)',
		apiKey: 'blk_queue_spread_processes_2',
		processes: 2,
	},
	alone: {
		id: 'queueBlocksCred1',
		name: 'Blocks (processes 1)',
		apiKey: 'blk_queue_spread_processes_1',
		processes: 1,
	},
	kill: {
		id: 'queueBlocksCredK',
		name: 'Blocks (worker dies)',
		apiKey: 'blk_queue_worker_dies',
		processes: 2,
	},
	long: {
		id: 'queueBlocksCredL',
		name: 'Blocks (long turn)',
		apiKey: 'blk_queue_long_turn',
		processes: 2,
	},
	limit: {
		id: 'queueBlocksCredT',
		name: 'Blocks (time limit)',
		apiKey: 'blk_queue_time_limit',
		processes: 2,
	},
} satisfies Record<string, KeyCredential>;

const WORKFLOWS = {
	shared: spreadWorkflow('queueSpread2', 'spread-processes-2', CREDENTIALS.shared),
	alone: spreadWorkflow('queueSpread1', 'spread-processes-1', CREDENTIALS.alone),
	kill: spreadWorkflow('queueKill01', 'worker-dies', CREDENTIALS.kill),
	resume: resumeWorkflow('queueResume1', 'resume', CREDENTIALS.kill),
	long: longTurnWorkflow(CREDENTIALS.long),
	limit: timeLimitTurnWorkflow(CREDENTIALS.limit, 'queueTimeLimit'),
};

function writeJson(file: string, data: unknown): string {
	fs.writeFileSync(file, JSON.stringify(data, null, 2));
	return file;
}

runWithDeadline('queue mode suite', TIMEOUT_MIN, async ({ checks, workDir, phase, stopping }) => {
	const env = await QueueEnvironment.start(checks, workDir, {
		apiKeys: Object.values(CREDENTIALS).map((c) => c.apiKey),
		replyDelayMs,
		phase,
		stopping,
	});

	phase('n8n in queue mode: a main and two workers');
	const { ctx } = await env.startCluster({
		name: 'queue',
		workers: WORKERS,
		concurrency: CONCURRENCY,
		credentials: Object.values(CREDENTIALS),
		workflows: Object.values(WORKFLOWS),
	});

	phase(
		'spread: 100 waits on one key, with the processes setting at 2 and at 1 (two keys, side by side); a long turn parked between rounds and one under a time limit, beside them',
	);
	// The shared key's 4 executions are queued first, then the other key's: the workers
	// take jobs in turn, so each key's executions land on both.
	const spread = SCENARIOS.has('spread');
	const shared = spread
		? await startSpread(ctx, { label: 'shared', webhookPath: 'spread-processes-2' })
		: undefined;
	const alone = spread
		? await startSpread(ctx, { label: 'alone', webhookPath: 'spread-processes-1' })
		: undefined;
	const [spreadShared, spreadAlone, long, limit] = await Promise.all([
		shared &&
			checkSpread(ctx, shared, {
				workflowId: WORKFLOWS.shared.id!,
				apiKey: CREDENTIALS.shared.apiKey,
				processes: 2,
				max429Share: 0,
				maxBoundFactor: 1.2,
			}),
		// Left at 1 (the default), each worker budgets the whole key: its pace, not a burst, keeps
		// their first creates from filling the key's window together.
		alone &&
			checkSpread(ctx, alone, {
				workflowId: WORKFLOWS.alone.id!,
				apiKey: CREDENTIALS.alone.apiKey,
				processes: 1,
				max429Share: 0.02,
				maxBoundFactor: 1.2,
			}),
		SCENARIOS.has('long')
			? longTurn(ctx, { workflow: WORKFLOWS.long, apiKey: CREDENTIALS.long.apiKey })
			: undefined,
		SCENARIOS.has('limit')
			? timeLimitTurn(ctx, { workflow: WORKFLOWS.limit, apiKey: CREDENTIALS.limit.apiKey })
			: undefined,
	]);

	let kill: Awaited<ReturnType<typeof workerDies>>;
	if (SCENARIOS.has('kill')) {
		phase('a worker dies');
		kill = await workerDies(ctx, {
			label: 'kill',
			workflowId: WORKFLOWS.kill.id!,
			webhookPath: 'worker-dies',
			resumeWorkflowId: WORKFLOWS.resume.id!,
			resumeWebhookPath: 'resume',
			apiKey: CREDENTIALS.kill.apiKey,
		});
	}

	writeJson(path.join(workDir, 'blocks-requests.json'), env.emulator.requests);
	if (process.env.QUEUE_RESULTS) {
		writeJson(process.env.QUEUE_RESULTS, {
			at: new Date().toISOString(),
			n8n: env.n8nVersion,
			workers: WORKERS,
			concurrency: CONCURRENCY,
			spreads: [spreadShared, spreadAlone],
			long,
			limit,
			kill,
		});
	}
}).then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	},
);
