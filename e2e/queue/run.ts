/**
 * Queue mode, for real: Redis and PostgreSQL from Debian, n8n 2.41.1 as a main and two workers
 * (concurrency 5 each), the packed package installed into each, and the Blocks API emulator with
 * its 100 requests/minute limit. Then the scenarios of scenarios.ts.
 *
 *   npm run test:queue
 *
 * A global deadline (QUEUE_TIMEOUT_MINUTES, default 14) stops everything; so does any failure
 * or signal: n8n, the services and their throwaway folders go with this process.
 *
 * Environment: QUEUE_TIMEOUT_MINUTES, N8N_E2E_CACHE (see n8nInstall.ts), E2E_KEEP=1 keeps the
 * work folder (logs, n8n folders), QUEUE_RESULTS=<file> writes the measured figures as JSON.
 *
 * Prints one PASS/FAIL line per check, REPORT lines with the figures, and ends with
 * "N passed, N failed"; exits 1 on any failure.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BlocksEmulator } from '../../emulator';
import type { AgentScript } from '../../emulator';
import { SeededRandom, seedFor } from '../../scripts/bench/prng';
import { assert, Checks } from '../checks';
import { packPackage } from '../pack';
import { ensureN8n } from '../../tooling/n8n/install';
import { packageDir, PACKAGE_NAME, shadowingN8nWorkflow } from '../../tooling/n8n/packageInstall';
import { elapsed } from '../../tooling/elapsed';
import { installExitHooks, killAll } from '../../tooling/processes';
import { N8N_TARGETS } from '../../tooling/n8n/versions';
import { QueueCluster } from './cluster';
import { ExecutionRecords } from './records';
import { checkSpread, startSpread, workerDies, type ScenarioContext } from './scenarios';
import {
	ensureServicePackages,
	startPostgres,
	startRedis,
	type Postgres,
	type Service,
} from './services';
import { resumeWorkflow, spreadWorkflow, type CredentialRef } from './workflows';

const TIMEOUT_MIN = Number(process.env.QUEUE_TIMEOUT_MINUTES || 14);
const TARGET = N8N_TARGETS.find((target) => target.n8nVersion === '2.41.1');
const WORKERS = 2;
const CONCURRENCY = 5;
const REPLY_SPREAD_MS = { from: 30_000, to: 150_000 };

/** One key per scenario: Blocks limits each key on its own, so the scenarios do not meet. */
const KEYS = {
	spreadShared: 'blk_queue_spread_processes_2',
	spreadAlone: 'blk_queue_spread_processes_1',
	kill: 'blk_queue_worker_dies',
};

const t0 = Date.now();
let currentPhase = 'start';
function phase(name: string): void {
	currentPhase = name;
	console.log(`\n### phase: ${name} (at ${elapsed(t0)})`);
}

/** The reply delay of a message: spread over 30–150 s, the same on every run. */
function replyDelayMs(message: string): number {
	return Math.round(
		new SeededRandom(seedFor(1, message)).uniform(REPLY_SPREAD_MS.from, REPLY_SPREAD_MS.to),
	);
}

function credential(id: string, name: string, apiKey: string, baseUrl: string, processes: number) {
	return {
		id,
		name,
		type: 'blocksApi',
		data: {
			apiKey,
			baseUrl,
			requestsPerMinute: 100,
			reservedPercent: 10,
			processesSharingKey: processes,
		},
	};
}

async function main(): Promise<number> {
	assert(TARGET, 'n8n 2.41.1 is not in e2e/versions.ts');
	const checks = new Checks();
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-blocks-queue-'));
	const services: Array<Service | Postgres> = [];
	let cluster: QueueCluster | undefined;
	let emulator: BlocksEmulator | undefined;
	const stopAll = async () => {
		await cluster?.stop().catch(() => undefined);
		for (const service of services.reverse()) await service.stop().catch(() => undefined);
		await emulator?.close().catch(() => undefined);
		if (process.env.E2E_KEEP !== '1') fs.rmSync(workDir, { recursive: true, force: true });
		else console.log(`work folder kept: ${workDir}`);
	};
	installExitHooks(stopAll);
	const deadline = setTimeout(() => {
		console.log(`FAIL global deadline: ${TIMEOUT_MIN} min passed during phase "${currentPhase}"`);
		void stopAll().finally(() => {
			killAll('SIGKILL');
			console.log(`${checks.passed} passed, ${checks.failed + 1} failed`);
			process.exit(1);
		});
	}, TIMEOUT_MIN * 60_000);

	try {
		phase('Redis and PostgreSQL');
		await ensureServicePackages();
		services.push(await startRedis(workDir));
		const postgres = await startPostgres(workDir);
		services.push(postgres);
		const redis = services[0];

		phase('n8n install (cached) and npm pack');
		const install = await ensureN8n(TARGET);
		const tarball = await packPackage(checks, path.join(workDir, 'pack'));
		if (!tarball) throw new Error('npm pack failed: see the check above');

		phase('emulator');
		const messageOfThread = new Map<string, string>();
		const agent: AgentScript = (turn) => {
			messageOfThread.set(turn.threadId, turn.message);
			return { reply: `You said: ${turn.message}`, delayMs: replyDelayMs(turn.message) };
		};
		emulator = await BlocksEmulator.start({ apiKeys: Object.values(KEYS), agent });
		console.log(`emulator at ${emulator.url}, 100 requests/min per key`);

		phase('n8n in queue mode: a main and two workers');
		cluster = new QueueCluster({
			install,
			workDir,
			tarball,
			redis,
			postgres,
			workers: WORKERS,
			concurrency: CONCURRENCY,
		});
		await cluster.installPackage();
		await checks.check(
			'package: installed with npm into the main and each worker, no n8n-workflow of its own',
			() => {
				for (const folder of [
					'main',
					...Array.from({ length: WORKERS }, (_, i) => `worker-${i + 1}`),
				]) {
					const dir = packageDir(path.join(workDir, folder));
					assert(fs.existsSync(path.join(dir, 'dist')), `${PACKAGE_NAME} not in ${dir}`);
					const shadows = shadowingN8nWorkflow(dir);
					assert(
						shadows.length === 0,
						`n8n-workflow installed next to the package: ${shadows.join(', ')}`,
					);
				}
			},
		);
		const baseUrl = emulator.url;
		const creds: Record<string, CredentialRef & { apiKey: string; processes: number }> = {
			shared: {
				id: 'queueBlocksCred2',
				name: 'Blocks (processes 2)',
				apiKey: KEYS.spreadShared,
				processes: 2,
			},
			alone: {
				id: 'queueBlocksCred1',
				name: 'Blocks (processes 1)',
				apiKey: KEYS.spreadAlone,
				processes: 1,
			},
			kill: {
				id: 'queueBlocksCredK',
				name: 'Blocks (worker dies)',
				apiKey: KEYS.kill,
				processes: 2,
			},
		};
		const imported = await cluster.main.importCredentials(
			Object.values(creds).map((c) => credential(c.id, c.name, c.apiKey, baseUrl, c.processes)),
		);
		assert(imported.code === 0, `import:credentials failed: ${imported.stderr.slice(-1500)}`);
		const workflows = {
			shared: spreadWorkflow('queueSpread2', 'spread-processes-2', creds.shared),
			alone: spreadWorkflow('queueSpread1', 'spread-processes-1', creds.alone),
			kill: spreadWorkflow('queueKill01', 'worker-dies', creds.kill),
			resume: resumeWorkflow('queueResume1', 'resume', creds.kill),
		};
		const importedWorkflows = await cluster.main.importWorkflows(Object.values(workflows));
		assert(
			importedWorkflows.code === 0,
			`import:workflow failed: ${importedWorkflows.stderr.slice(-1500)}`,
		);
		// `import:workflow --activeState=fromJson` needs an owner with a login; publishing by id
		// does not, and the main registers the webhooks of published workflows as it starts.
		const published = await Promise.all(
			Object.values(workflows).map((workflow) =>
				cluster!.main.cli(['publish:workflow', `--id=${workflow.id!}`]),
			),
		);
		assert(
			published.every((result) => result.code === 0),
			`publish:workflow failed: ${published.map((result) => result.stderr.slice(-500)).join('\n')}`,
		);
		await cluster.startMain();
		await cluster.startWorkers();

		const ctx: ScenarioContext = {
			checks,
			cluster,
			emulator,
			records: new ExecutionRecords(postgres, install),
			replyDelayMs,
			messageOfThread: (threadId) => messageOfThread.get(threadId),
		};

		phase(
			'spread: 100 waits on one key, with the processes setting at 2 and at 1 (two keys, side by side)',
		);
		// The shared key's 4 executions are queued first, then the other key's: the workers
		// take jobs in turn, so each key's executions land on both.
		const shared = await startSpread(ctx, { label: 'shared', webhookPath: 'spread-processes-2' });
		const alone = await startSpread(ctx, { label: 'alone', webhookPath: 'spread-processes-1' });
		const spreads = await Promise.all([
			shared &&
				checkSpread(ctx, shared, {
					workflowId: workflows.shared.id!,
					apiKey: KEYS.spreadShared,
					processes: 2,
					max429Share: 0.02,
				}),
			alone &&
				checkSpread(ctx, alone, {
					workflowId: workflows.alone.id!,
					apiKey: KEYS.spreadAlone,
					processes: 1,
				}),
		]);

		phase('a worker dies');
		const kill = await workerDies(ctx, {
			label: 'kill',
			workflowId: workflows.kill.id!,
			webhookPath: 'worker-dies',
			resumeWorkflowId: workflows.resume.id!,
			resumeWebhookPath: 'resume',
			apiKey: KEYS.kill,
		});

		writeJson(path.join(workDir, 'blocks-requests.json'), emulator.requests);
		if (process.env.QUEUE_RESULTS) {
			writeJson(process.env.QUEUE_RESULTS, {
				at: new Date().toISOString(),
				n8n: TARGET.n8nVersion,
				workers: WORKERS,
				concurrency: CONCURRENCY,
				spreads,
				kill,
			});
		}
	} catch (error) {
		checks.fail(
			`phase "${currentPhase}"`,
			error instanceof Error ? (error.stack ?? error.message) : String(error),
		);
	} finally {
		phase('stopping everything');
		clearTimeout(deadline);
		await stopAll();
	}
	console.log(`\nqueue mode suite took ${elapsed(t0)}`);
	console.log(checks.summaryLine());
	return checks.failed === 0 ? 0 : 1;
}

function writeJson(file: string, data: unknown): string {
	fs.writeFileSync(file, JSON.stringify(data, null, 2));
	return file;
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	},
);
