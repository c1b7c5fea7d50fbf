/**
 * What a run against a real n8n in queue mode sets up, shared by `npm run test:queue` (run.ts)
 * and `npm run bench:queue` (test/queue/bench.ts): Redis, n8n 2.41.1 from the cache, the
 * packed package, the Blocks API emulator with its 100 requests/minute limit, then one or more
 * n8n clusters (each on a PostgreSQL of its own) with the package installed, the credentials and
 * workflows imported and published. Everything stops when the run ends, fails, is interrupted
 * or passes its deadline; the throwaway folders go too (E2E_KEEP=1 keeps them).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BlocksEmulator } from '../../emulator';
import type { AgentScript } from '../../emulator';
import { elapsed } from '../real-n8n/elapsed';
import { ensureN8n, type N8nInstall } from '../real-n8n/install';
import { packageDir, PACKAGE_NAME, shadowingN8nWorkflow } from '../real-n8n/packageInstall';
import { N8N_TARGETS } from '../real-n8n/versions';
import { installExitHooks, killAll } from '../real-n8n/processes';
import type { WorkflowJson } from '../real-n8n/workflowFiles';
import { assert, Checks } from '../e2e/checks';
import { packPackage } from '../e2e/pack';
import { REPLY_WHEN_TOLD } from '../e2e/testAgent';
import { QueueCluster } from './cluster';
import { ExecutionRecords } from './records';
import type { ScenarioContext } from './scenarios';
import {
	ensureServicePackages,
	startPostgres,
	startRedis,
	type Postgres,
	type Service,
} from './services';
import type { CredentialRef } from './workflows';

const TARGET_VERSION = '2.41.1';

/** A Blocks credential to import: the key, and how many processes share it. */
export interface KeyCredential extends CredentialRef {
	apiKey: string;
	processes: number;
}

export interface ClusterSpec {
	/** Its folder under the work folder (n8n folders, logs). */
	name: string;
	/** `n8n worker` processes; 0 with `EXECUTIONS_MODE: 'regular'` in env for a single n8n. */
	workers: number;
	concurrency: number;
	env?: NodeJS.ProcessEnv;
	credentials: KeyCredential[];
	workflows: WorkflowJson[];
}

export interface RunningCluster {
	cluster: QueueCluster;
	ctx: ScenarioContext;
	stop(): Promise<void>;
}

function credentialJson(credential: KeyCredential, baseUrl: string) {
	return {
		id: credential.id,
		name: credential.name,
		type: 'blocksApi',
		data: {
			apiKey: credential.apiKey,
			baseUrl,
			requestsPerMinute: 100,
			reservedPercent: 10,
			processesSharingKey: credential.processes,
		},
	};
}

export class QueueEnvironment {
	private readonly running = new Set<RunningCluster>();
	private constructor(
		readonly checks: Checks,
		readonly workDir: string,
		private readonly services: Service[],
		readonly install: N8nInstall,
		readonly tarball: string,
		readonly emulator: BlocksEmulator,
		private readonly replyDelayMs: (message: string) => number,
		/** The message each thread was started with. */
		private readonly messages: Map<string, string>,
	) {}

	/**
	 * Redis, n8n, the packed package and the emulator. The agent answers every message after
	 * `replyDelayMs(message)`, except REPLY_WHEN_TOLD ones, which wait for emulator.finishTurn.
	 */
	static async start(
		checks: Checks,
		workDir: string,
		options: {
			apiKeys: string[];
			replyDelayMs: (message: string) => number;
			phase: (name: string) => void;
			stopping: (stop: () => Promise<void>) => void;
		},
	): Promise<QueueEnvironment> {
		const target = N8N_TARGETS.find((t) => t.n8nVersion === TARGET_VERSION);
		assert(target, `n8n ${TARGET_VERSION} is not in test/real-n8n/versions.ts`);
		const services: Service[] = [];
		options.stopping(async () => {
			for (const service of services.reverse()) await service.stop().catch(() => undefined);
		});
		options.phase('Redis and PostgreSQL (Debian packages)');
		await ensureServicePackages();
		services.push(await startRedis(workDir));

		options.phase(`n8n ${TARGET_VERSION} install (cached) and npm pack`);
		const install = await ensureN8n(target);
		const tarball = await packPackage(checks, path.join(workDir, 'pack'));
		if (!tarball) throw new Error('npm pack failed: see the check above');

		options.phase('emulator');
		const messages = new Map<string, string>();
		const agent: AgentScript = (turn) => {
			messages.set(turn.threadId, turn.message);
			if (turn.message.includes(REPLY_WHEN_TOLD)) return { manual: true };
			return { reply: `You said: ${turn.message}`, delayMs: options.replyDelayMs(turn.message) };
		};
		const emulator = await BlocksEmulator.start({ apiKeys: options.apiKeys, agent });
		options.stopping(() => emulator.close());
		console.log(`emulator at ${emulator.url}, 100 requests/min per key`);
		const env = new QueueEnvironment(
			checks,
			workDir,
			services,
			install,
			tarball,
			emulator,
			options.replyDelayMs,
			messages,
		);
		// Registered last, so run first: the clusters stop before the services they use.
		options.stopping(() => env.stopClusters());
		return env;
	}

	get n8nVersion(): string {
		return TARGET_VERSION;
	}

	/**
	 * A PostgreSQL of its own and an n8n on it: the package npm-installed into every process,
	 * the credentials and workflows imported and published, the main and the workers started.
	 */
	async startCluster(spec: ClusterSpec): Promise<RunningCluster> {
		const { checks, workDir } = this;
		const dir = path.join(workDir, spec.name);
		fs.mkdirSync(dir, { recursive: true });
		const postgres: Postgres = await startPostgres(dir);
		const cluster = new QueueCluster({
			install: this.install,
			workDir: dir,
			tarball: this.tarball,
			redis: this.services[0],
			postgres,
			workers: spec.workers,
			concurrency: spec.concurrency,
			env: spec.env,
		});
		const running: RunningCluster = {
			cluster,
			ctx: {
				checks,
				cluster,
				emulator: this.emulator,
				records: new ExecutionRecords(postgres, this.install),
				replyDelayMs: this.replyDelayMs,
				messageOfThread: (threadId) => this.messages.get(threadId),
			},
			stop: async () => {
				this.running.delete(running);
				await cluster.stop().catch(() => undefined);
				await postgres.stop().catch(() => undefined);
			},
		};
		this.running.add(running);

		await cluster.installPackage();
		const processes = [
			'main',
			...Array.from({ length: spec.workers }, (_, i) => `worker-${i + 1}`),
		];
		await checks.check(
			`${spec.name}: package installed with npm into ${processes.join(', ')}, no n8n-workflow of its own`,
			() => {
				for (const folder of processes) {
					const pkg = packageDir(path.join(dir, folder));
					assert(fs.existsSync(path.join(pkg, 'dist')), `${PACKAGE_NAME} not in ${pkg}`);
					const shadows = shadowingN8nWorkflow(pkg);
					assert(
						shadows.length === 0,
						`n8n-workflow installed next to the package: ${shadows.join(', ')}`,
					);
				}
			},
		);
		const imported = await cluster.main.importCredentials(
			spec.credentials.map((c) => credentialJson(c, this.emulator.url)),
		);
		assert(imported.code === 0, `import:credentials failed: ${imported.stderr.slice(-1500)}`);
		const importedWorkflows = await cluster.main.importWorkflows(spec.workflows);
		assert(
			importedWorkflows.code === 0,
			`import:workflow failed: ${importedWorkflows.stderr.slice(-1500)}`,
		);
		// `import:workflow --activeState=fromJson` needs an owner with a login; publishing by id
		// does not, and the main registers the webhooks of published workflows as it starts.
		const published = await Promise.all(
			spec.workflows.map((workflow) =>
				cluster.main.cli(['publish:workflow', `--id=${workflow.id!}`]),
			),
		);
		assert(
			published.every((result) => result.code === 0),
			`publish:workflow failed: ${published.map((result) => result.stderr.slice(-500)).join('\n')}`,
		);
		await cluster.startMain();
		await cluster.startWorkers();
		return running;
	}

	/** Stops every cluster still running. */
	async stopClusters(): Promise<void> {
		for (const running of [...this.running]) await running.stop();
	}
}

/**
 * Runs `body` with a Checks list, a work folder and a global deadline; stops everything at the
 * end, on failure, on a signal or at the deadline. Prints the checks' summary; resolves to the
 * process exit code (1 on any failed check).
 */
export async function runWithDeadline(
	title: string,
	timeoutMinutes: number,
	body: (tools: {
		checks: Checks;
		workDir: string;
		phase: (name: string) => void;
		stopping: (stop: () => Promise<void>) => void;
	}) => Promise<void>,
): Promise<number> {
	const t0 = Date.now();
	const checks = new Checks();
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-blocks-queue-'));
	let currentPhase = 'start';
	const phase = (name: string) => {
		currentPhase = name;
		console.log(`\n### phase: ${name} (at ${elapsed(t0)})`);
	};
	const stoppers: Array<() => Promise<void>> = [];
	const stopAll = async () => {
		for (const stop of stoppers.splice(0).reverse()) await stop().catch(() => undefined);
		if (process.env.E2E_KEEP !== '1') fs.rmSync(workDir, { recursive: true, force: true });
		else console.log(`work folder kept: ${workDir}`);
	};
	installExitHooks(stopAll);
	const deadline = setTimeout(() => {
		console.log(
			`FAIL global deadline: ${timeoutMinutes} min passed during phase "${currentPhase}"`,
		);
		void stopAll().finally(() => {
			killAll('SIGKILL');
			console.log(`${checks.passed} passed, ${checks.failed + 1} failed`);
			process.exit(1);
		});
	}, timeoutMinutes * 60_000);

	try {
		await body({ checks, workDir, phase, stopping: (stop) => stoppers.push(stop) });
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
	console.log(`\n${title} took ${elapsed(t0)}`);
	console.log(checks.summaryLine());
	return checks.failed === 0 ? 0 : 1;
}
