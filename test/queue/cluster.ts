/**
 * An n8n in queue mode on this machine: one main (`n8n start`, which takes the webhooks and puts
 * executions in Redis) and workers (`n8n worker`), all on one PostgreSQL. Every process has its
 * own n8n folder, as separate machines or containers would, and the package is installed into
 * each the way docs/queue-mode.md says for a build that is not on the npm registry:
 * `npm install <tarball>` in `~/.n8n/nodes`, before the process starts.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { N8nInstall } from '../real-n8n/install';
import { N8n, N8nServer } from '../real-n8n/process';
import { elapsed } from '../real-n8n/elapsed';
import { pollUntil } from '../support/pollUntil';
import { freePort, run, start, type Started } from '../real-n8n/processes';
import type { Postgres, Service } from './services';

export interface ClusterOptions {
	install: N8nInstall;
	workDir: string;
	tarball: string;
	redis: Service;
	postgres: Postgres;
	workers: number;
	concurrency: number;
	/** Extra environment for every process. */
	env?: NodeJS.ProcessEnv;
}

export interface Worker {
	name: string;
	proc: Started;
	/** Execution ids this worker logged as started, in order (a resumed one again). */
	started: string[];
	/** Execution ids this worker logged as finished (its job done, the slot free), in order. */
	finished: string[];
	/** Each job's start and finish as logged, with when the line arrived (ms): slot time. */
	jobLog: Array<{ event: 'started' | 'finished'; executionId: string; at: number }>;
}

function log(message: string): void {
	console.log(`[cluster] ${message}`);
}

export class QueueCluster {
	readonly main: N8n;
	readonly workers: Worker[] = [];
	private mainServer: N8nServer | undefined;
	private readonly workerN8n: N8n[] = [];
	private webhookBase = '';

	constructor(private readonly options: ClusterOptions) {
		this.main = this.n8nFor('main');
		for (let index = 1; index <= options.workers; index++) {
			this.workerN8n.push(this.n8nFor(`worker-${index}`));
		}
	}

	/** The environment every process of the cluster shares: queue mode, Redis, PostgreSQL. */
	private sharedEnv(): NodeJS.ProcessEnv {
		const { redis, postgres } = this.options;
		return {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			// Each finished node's output is saved as the execution goes: what a lost execution
			// leaves behind (the reply URLs of its creates) is then in the database.
			EXECUTIONS_DATA_SAVE_ON_PROGRESS: 'true',
			...(this.options.env ?? {}),
		};
	}

	private n8nFor(name: string): N8n {
		const userFolder = path.join(this.options.workDir, name);
		return new N8n(this.options.install, {
			userFolder,
			logDir: path.join(this.options.workDir, 'logs', name),
			quiet: false,
			env: this.sharedEnv(),
		});
	}

	/** `npm install <tarball>` in each process's `~/.n8n/nodes`, as a user would on each machine. */
	async installPackage(): Promise<void> {
		for (const n8n of [this.main, ...this.workerN8n]) {
			const nodesDir = path.join(n8n.opts.userFolder, '.n8n', 'nodes');
			fs.mkdirSync(nodesDir, { recursive: true });
			const env: NodeJS.ProcessEnv = {};
			for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
			const result = await run(
				'npm',
				['install', this.options.tarball, '--no-audit', '--no-fund', '--omit=dev', '--omit=peer'],
				{ cwd: nodesDir, env, timeoutMs: 120_000 },
			);
			if (result.code !== 0) {
				throw new Error(`npm install in ${nodesDir} failed:\n${result.stderr.slice(-2000)}`);
			}
		}
		log(`package installed into the main and ${this.workerN8n.length} workers`);
	}

	async startMain(): Promise<void> {
		const port = await freePort();
		this.mainServer = await this.main.startServer(port, 240_000);
		this.webhookBase = `${this.mainServer.url}/webhook`;
	}

	get mainUrl(): string {
		if (!this.mainServer) throw new Error('the main instance is not running');
		return this.mainServer.url;
	}

	webhookUrl(webhookPath: string): string {
		return `${this.webhookBase}/${webhookPath}`;
	}

	async startWorkers(): Promise<void> {
		await Promise.all(this.workerN8n.map((_, index) => this.startWorker(index)));
	}

	/** Starts (or restarts) worker `index`; resolves once it says it is ready. */
	async startWorker(index: number): Promise<Worker> {
		const n8n = this.workerN8n[index];
		const name = `worker-${index + 1}`;
		const t0 = Date.now();
		const logFile = path.join(n8n.opts.logDir, `${name}-${Date.now()}.log`);
		const logStream = fs.createWriteStream(logFile);
		const worker: Worker = {
			name,
			proc: undefined as unknown as Started,
			started: [],
			finished: [],
			jobLog: [],
		};
		let ready = false;
		worker.proc = start(
			n8n.install.nodeExec,
			[n8n.install.n8nBin, 'worker', `--concurrency=${this.options.concurrency}`],
			{
				cwd: n8n.opts.userFolder,
				env: await n8n.env(),
				onLine: (line) => {
					logStream.write(`${line}\n`);
					if (line.includes('n8n worker is now ready')) ready = true;
					const job = /Worker (started|finished) execution (\d+)/.exec(line);
					if (job) {
						const event = job[1] as 'started' | 'finished';
						worker[event].push(job[2]);
						worker.jobLog.push({ event, executionId: job[2], at: Date.now() });
					}
				},
			},
		);
		void worker.proc.exited.then(() => logStream.end());
		const exited = worker.proc.exited.then(
			(e) => `${name} exited (code ${e.code}, signal ${e.signal}); see ${logFile}`,
		);
		await pollUntil(async () => (ready ? true : undefined), {
			description: `${name} ready`,
			errorsMeanNotYet: true,
			timeoutMs: 180_000,
			abort: exited,
			intervalMs: 250,
		});
		this.workers[index] = worker;
		log(`${name} ready in ${elapsed(t0)} (log: ${logFile})`);
		return worker;
	}

	/** The worker that logged starting this execution. */
	workerOf(executionId: string): Worker | undefined {
		return this.workers.find((worker) => worker.started.includes(executionId));
	}

	/** SIGKILL to the worker's whole process group: no shutdown, as when a machine dies. */
	async killWorker(worker: Worker): Promise<void> {
		if (worker.proc.child.pid !== undefined) process.kill(-worker.proc.child.pid, 'SIGKILL');
		await worker.proc.exited;
		log(`${worker.name} killed`);
	}

	async stop(): Promise<void> {
		await Promise.all(this.workers.map((worker) => worker.proc.stop(20_000)));
		await this.mainServer?.stop();
	}
}
