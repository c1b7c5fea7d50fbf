/**
 * Drives one real n8n installation on an isolated user folder: its environment, CLI commands
 * (imports, `n8n execute`) and `n8n start` as a server that is stopped with its whole process group.
 */
import * as fs from 'fs';
import * as path from 'path';
import { elapsed } from './elapsed';
import { httpRequest } from '../support/http';
import { pollUntil } from '../support/pollUntil';
import { RunResult, Started, freePort, run, start } from './processes';
import { RunJson, parseRawOutput } from './cliOutput';
import { N8nInstall } from './install';
import { resolveProbeEnv } from './resolutionLog';

/** Fixed so credentials imported by one command decrypt in the next. */
const FIXED_ENCRYPTION_KEY = 'n8n-nodes-blocks-e2e-fixed-encryption-key';

export interface N8nOptions {
	userFolder: string;
	/** Where CLI output is saved, one file per command. */
	logDir: string;
	/** Extra environment (e.g. N8N_PORT). */
	env?: NodeJS.ProcessEnv;
	quiet?: boolean;
	/** Also print the server's log lines (prefixed) while `n8n start` runs. */
	echoServerLog?: boolean;
	/**
	 * Preload resolveProbe.js (beside this file) into every n8n process: it appends the file each
	 * `require('n8n-workflow')` made by the package resolves to into this file.
	 */
	resolveLog?: string;
	/** Folders whose files count as the package's for the probe (e.g. a symlink's target). */
	resolveRoots?: string[];
}

export interface ExecuteResult {
	run: RunResult;
	/** The run JSON printed by `--rawOutput`, when it could be found and parsed. */
	json?: RunJson;
	parseError?: string;
}

export class N8n {
	readonly install: N8nInstall;
	readonly opts: N8nOptions;
	private counter = 0;

	constructor(install: N8nInstall, opts: N8nOptions) {
		this.install = install;
		this.opts = opts;
		fs.mkdirSync(opts.userFolder, { recursive: true });
		fs.mkdirSync(opts.logDir, { recursive: true });
	}

	get label(): string {
		return this.install.target.label;
	}

	/** Environment for every n8n command; each command gets its own free task-broker port. */
	async env(): Promise<NodeJS.ProcessEnv> {
		const base: NodeJS.ProcessEnv = {};
		for (const [k, v] of Object.entries(this.install.env)) {
			if (/^(npm_|N8N_|DB_|EXECUTIONS_|GENERIC_)/i.test(k)) continue;
			base[k] = v;
		}
		return {
			...base,
			N8N_USER_FOLDER: this.opts.userFolder,
			N8N_ENCRYPTION_KEY: FIXED_ENCRYPTION_KEY,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			// the default expression engine of 2.x crashed at exit now and then; 1.x needs legacy
			N8N_EXPRESSION_ENGINE: 'legacy',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			// nothing may reach outside this machine
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			N8N_AI_ENABLED: 'false',
			// the list of verified community nodes is fetched from n8n's servers
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			DB_TYPE: 'sqlite',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			NODE_ENV: 'production',
			...(this.install.target.env ?? {}),
			...(this.opts.env ?? {}),
			...(this.opts.resolveLog
				? resolveProbeEnv(base.NODE_OPTIONS, this.opts.resolveLog, this.opts.resolveRoots ?? [])
				: {}),
		};
	}

	/** Runs one n8n CLI command to completion, saving its output under the log folder. */
	async cli(args: string[], timeoutMs = 180_000): Promise<RunResult> {
		const n = ++this.counter;
		const t0 = Date.now();
		const r = await run(this.install.nodeExec, [this.install.n8nBin, ...args], {
			cwd: this.opts.userFolder,
			env: await this.env(),
			timeoutMs,
		});
		const name = `${String(n).padStart(2, '0')}-${args
			.join('_')
			.replace(/[^a-zA-Z0-9_.=-]+/g, '-')
			.slice(0, 80)}.log`;
		fs.writeFileSync(
			path.join(this.opts.logDir, name),
			`$ n8n ${args.join(' ')}\n# exit ${r.code}${r.signal ? ` signal ${r.signal}` : ''}${r.timedOut ? ' (timed out)' : ''}, ${r.ms} ms\n\n## stdout\n${r.stdout}\n## stderr\n${r.stderr}\n`,
		);
		if (!this.opts.quiet) {
			console.log(
				`[${this.label}] n8n ${args.join(' ')} -> exit ${r.code}${r.signal ? ` (${r.signal})` : ''}${r.timedOut ? ' TIMED OUT' : ''} in ${elapsed(t0)}`,
			);
		}
		return r;
	}

	private writeInput(name: string, data: unknown): string {
		const file = path.join(this.opts.logDir, name);
		fs.writeFileSync(file, JSON.stringify(data, null, 2));
		return file;
	}

	async importCredentials(credentials: unknown[]): Promise<RunResult> {
		return this.cli([
			'import:credentials',
			`--input=${this.writeInput('credentials.json', credentials)}`,
		]);
	}

	async importWorkflows(workflows: unknown[]): Promise<RunResult> {
		return this.cli(['import:workflow', `--input=${this.writeInput('workflows.json', workflows)}`]);
	}

	async execute(workflowId: string, timeoutMs = 240_000): Promise<ExecuteResult> {
		const r = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], timeoutMs);
		const parsed = parseRawOutput(r.stdout);
		return { run: r, json: parsed.json, parseError: parsed.error };
	}

	/** `n8n start` in the background; resolves once /healthz/readiness answers 200. */
	async startServer(
		port: number,
		timeoutMs = 180_000,
		extraEnv: NodeJS.ProcessEnv = {},
	): Promise<N8nServer> {
		const t0 = Date.now();
		const env = {
			...(await this.env()),
			N8N_PORT: String(port),
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			...extraEnv,
		};
		const logFile = path.join(this.opts.logDir, `server-${port}.log`);
		const log = fs.createWriteStream(logFile);
		const proc = start(this.install.nodeExec, [this.install.n8nBin, 'start'], {
			cwd: this.opts.userFolder,
			env,
			onLine: (line) => {
				log.write(`${line}\n`);
				if (this.opts.echoServerLog && !/^(Starting|Finished) migration /.test(line))
					console.log(`[n8n] ${line}`);
			},
		});
		const url = `http://127.0.0.1:${port}`;
		const exitedEarly = proc.exited.then(
			(e) => `n8n exited (code ${e.code}, signal ${e.signal}) before it was ready; see ${logFile}`,
		);
		try {
			await answers200(`${url}/healthz/readiness`, {
				timeoutMs,
				intervalMs: 500,
				abort: exitedEarly,
			});
			// n8n 1.x answers readiness a moment before its REST routes exist (they 404 until then);
			// /rest/settings is the first call the editor makes and needs no login
			await answers200(`${url}/rest/settings`, { timeoutMs, intervalMs: 250, abort: exitedEarly });
		} catch (e) {
			await proc.stop(5_000);
			log.end();
			throw e;
		}
		if (!this.opts.quiet)
			console.log(`[${this.label}] n8n start: ready at ${url} in ${elapsed(t0)} (log: ${logFile})`);
		return new N8nServer(url, proc, logFile, () => log.end());
	}
}

export class N8nServer {
	constructor(
		readonly url: string,
		readonly proc: Started,
		readonly logFile: string,
		private readonly closeLog: () => void,
	) {}

	async stop(): Promise<void> {
		await this.proc.stop(15_000);
		this.closeLog();
	}
}

/** Polls `url` until it answers 200 (connection errors mean "not up yet"). */
function answers200(
	url: string,
	options: { timeoutMs: number; intervalMs: number; abort: Promise<string> },
): Promise<boolean> {
	return pollUntil(async () => (await httpRequest('GET', url)).status === 200, {
		...options,
		description: url,
		errorsMeanNotYet: true,
	});
}
