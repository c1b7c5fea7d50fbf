/**
 * Drives a real n8n installation: an isolated user folder with the package loaded the way
 * installed community packages are loaded, CLI imports and `n8n execute`, and `n8n start`.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { N8nInstall } from './n8nInstall';
import { RunResult, Started, elapsed, freePort, run, start, waitFor } from './proc';

export const PACKAGE_NAME = 'n8n-nodes-blocks';
/** Fixed so credentials imported by one command decrypt in the next. */
export const E2E_ENCRYPTION_KEY = 'n8n-nodes-blocks-e2e-fixed-encryption-key';

/** The folder n8n loads installed community packages from. */
export function packageDir(userFolder: string): string {
	return path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
}

function ensureNodesFolder(userFolder: string): void {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(path.join(nodesDir, 'node_modules'), { recursive: true });
	const pkgJson = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(pkgJson)) {
		fs.writeFileSync(pkgJson, JSON.stringify({ name: 'installed-nodes', private: true }, null, 2));
	}
}

/**
 * Unpacks an `npm pack` tarball into the community-packages folder the way n8n's own installer
 * does (2.x: `tar --strip-components=1`, then drops dev/peer/optional dependencies from the
 * package.json and records the package in the folder's package.json). n8n's installer then runs
 * `npm install` inside the package for its dependencies; this package has none, and n8n-workflow
 * comes from n8n itself (n8n puts its own modules on NODE_PATH).
 */
export async function installTarball(tarball: string, userFolder: string): Promise<string> {
	ensureNodesFolder(userFolder);
	const dest = packageDir(userFolder);
	fs.rmSync(dest, { recursive: true, force: true });
	fs.mkdirSync(dest, { recursive: true });
	const r = await run('tar', ['-xzf', tarball, '-C', dest, '--strip-components=1'], {
		timeoutMs: 60_000,
	});
	if (r.code !== 0) throw new Error(`tar failed: ${r.stderr}`);
	const ownPkgJson = path.join(dest, 'package.json');
	const own = JSON.parse(fs.readFileSync(ownPkgJson, 'utf8')) as Record<string, unknown> & {
		version: string;
	};
	fs.writeFileSync(ownPkgJson, JSON.stringify(installedPackageJson(own), null, 2));
	recordInstalled(userFolder, own.version);
	return dest;
}

/** What n8n's installer keeps of a package.json: no dev, peer or optional dependencies. */
function installedPackageJson(source: Record<string, unknown>): Record<string, unknown> {
	const own = { ...source };
	delete own.devDependencies;
	delete own.peerDependencies;
	delete own.optionalDependencies;
	return own;
}

/**
 * Copies the files of `src` into `dest` that are missing there or differ, and removes what `src`
 * no longer has. Files that are the same are not touched, so a watcher on `dest` (n8n's hot
 * reload) only sees real changes. Returns the relative paths written or removed.
 */
export function syncTree(src: string, dest: string): string[] {
	const changed: string[] = [];
	const walk = (rel: string) => {
		const from = path.join(src, rel);
		const to = path.join(dest, rel);
		const seen = new Set<string>();
		fs.mkdirSync(to, { recursive: true });
		for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
			seen.add(entry.name);
			const childRel = path.join(rel, entry.name);
			const fromChild = path.join(from, entry.name);
			const toChild = path.join(to, entry.name);
			const isDir =
				entry.isDirectory() || (entry.isSymbolicLink() && fs.statSync(fromChild).isDirectory());
			let existing: fs.Stats | undefined;
			try {
				existing = fs.lstatSync(toChild);
			} catch {
				existing = undefined;
			}
			if (isDir) {
				if (existing && !existing.isDirectory()) fs.rmSync(toChild, { force: true });
				walk(childRel);
				continue;
			}
			if (existing?.isDirectory()) fs.rmSync(toChild, { recursive: true, force: true });
			const data = fs.readFileSync(fromChild);
			if (
				existing?.isFile() &&
				existing.size === data.length &&
				fs.readFileSync(toChild).equals(data)
			)
				continue;
			fs.writeFileSync(toChild, data);
			changed.push(childRel);
		}
		for (const name of fs.readdirSync(to)) {
			if (seen.has(name)) continue;
			fs.rmSync(path.join(to, name), { recursive: true, force: true });
			changed.push(path.join(rel, name));
		}
	};
	walk('');
	return changed;
}

/**
 * Installs a working copy into the community-packages folder the way an installed package looks:
 * a real folder with the package.json and `dist/` (no node_modules), so `require('n8n-workflow')`
 * from the package resolves to n8n's own copy, never to the repository's devDependency.
 * A symlink left there by an older setup is replaced (the link only, never what it points to).
 * Returns the package folder and the files that changed; call again after a rebuild.
 */
export function installWorkingCopy(
	repoRoot: string,
	userFolder: string,
): { dir: string; changed: string[] } {
	ensureNodesFolder(userFolder);
	const dest = packageDir(userFolder);
	let st: fs.Stats | undefined;
	try {
		st = fs.lstatSync(dest);
	} catch {
		st = undefined;
	}
	if (st && !st.isDirectory()) fs.unlinkSync(dest); // a symlink (or a stray file): remove the link itself
	fs.mkdirSync(dest, { recursive: true });
	const changed: string[] = [];
	const source = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<
		string,
		unknown
	> & { version: string };
	const pkgText = `${JSON.stringify(installedPackageJson(source), null, 2)}\n`;
	const pkgFile = path.join(dest, 'package.json');
	if (!fs.existsSync(pkgFile) || fs.readFileSync(pkgFile, 'utf8') !== pkgText) {
		fs.writeFileSync(pkgFile, pkgText);
		changed.push('package.json');
	}
	const dist = path.join(repoRoot, 'dist');
	if (!fs.existsSync(dist)) throw new Error(`${dist} does not exist: run npm run build first`);
	changed.push(...syncTree(dist, path.join(dest, 'dist')).map((f) => path.join('dist', f)));
	// anything else in the folder (e.g. a node_modules) is not part of an installed package
	for (const name of fs.readdirSync(dest)) {
		if (name === 'package.json' || name === 'dist') continue;
		fs.rmSync(path.join(dest, name), { recursive: true, force: true });
		changed.push(name);
	}
	recordInstalled(userFolder, source.version);
	return { dir: dest, changed };
}

function recordInstalled(userFolder: string, version: string): void {
	const pkgJson = path.join(userFolder, '.n8n', 'nodes', 'package.json');
	const pkg = JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as {
		dependencies?: Record<string, string>;
	};
	if (pkg.dependencies?.[PACKAGE_NAME] === version) return;
	pkg.dependencies = { ...(pkg.dependencies ?? {}), [PACKAGE_NAME]: version };
	fs.writeFileSync(pkgJson, JSON.stringify(pkg, null, 2));
}

/**
 * Copies of n8n-workflow that Node would find from the installed package folder before n8n's own
 * (n8n's copy comes last, through NODE_PATH): any `node_modules/n8n-workflow` in the package
 * folder or a folder above it. Should be empty.
 */
export function shadowingN8nWorkflow(pkgDir: string): string[] {
	const found: string[] = [];
	let dir = fs.realpathSync(pkgDir);
	for (;;) {
		const candidate = path.join(dir, 'node_modules', 'n8n-workflow');
		if (fs.existsSync(path.join(candidate, 'package.json'))) found.push(candidate);
		const parent = path.dirname(dir);
		if (parent === dir) return found;
		dir = parent;
	}
}

/** One `require('n8n-workflow')` made by the package inside n8n, as e2e/resolveProbe.ts records it. */
export interface Resolution {
	pid: number;
	request: string;
	resolved: string;
	from: string;
}

export function readResolveLog(file: string): Resolution[] {
	let text = '';
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch {
		return [];
	}
	return text
		.split('\n')
		.filter(Boolean)
		.map((line) => {
			const [pid, request, resolved, from] = line.split('\t');
			return { pid: Number(pid), request, resolved, from };
		});
}

/** Resolutions that do not land in the given n8n install's own node_modules. */
export function foreignResolutions(resolutions: Resolution[], install: N8nInstall): Resolution[] {
	const own = path.join(install.dir, 'node_modules') + path.sep;
	return resolutions.filter((r) => !r.resolved.startsWith(own));
}

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
	 * Preload e2e/resolveProbe.js into every n8n process: it appends the file each
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

export interface RunJson {
	status?: string;
	finished?: boolean;
	data?: {
		resultData?: {
			error?: ErrorJson;
			lastNodeExecuted?: string;
			runData?: Record<
				string,
				Array<{
					error?: ErrorJson;
					data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
				}>
			>;
		};
	};
}

export interface ErrorJson {
	message?: string;
	description?: string | null;
	name?: string;
	httpCode?: string | null;
	node?: { name?: string; type?: string };
	[k: string]: unknown;
}

/**
 * Takes the run JSON out of `n8n execute --rawOutput` output: log lines come first, the JSON starts
 * at the first line that is exactly `{` and runs to the end (log lines printed after it are trimmed).
 */
export function parseRawOutput(stdout: string): { json?: RunJson; error?: string } {
	const lines = stdout.split(/\r?\n/);
	const startIdx = lines.findIndex((l) => l === '{');
	if (startIdx < 0) return { error: 'no line that is exactly "{" in the output' };
	let endIdx = lines.length;
	let lastError = '';
	// the JSON ends at a line that is exactly "}"; try from the last one backwards
	for (;;) {
		let closing = -1;
		for (let i = endIdx - 1; i > startIdx; i--) {
			if (lines[i] === '}') {
				closing = i;
				break;
			}
		}
		if (closing < 0)
			return { error: `could not parse the run JSON: ${lastError || 'no closing "}" line'}` };
		try {
			return { json: JSON.parse(lines.slice(startIdx, closing + 1).join('\n')) as RunJson };
		} catch (e) {
			lastError = e instanceof Error ? e.message : String(e);
			endIdx = closing;
		}
	}
}

/** Environment that preloads e2e/resolveProbe.js (compiled next to this file). */
export function resolveProbeEnv(
	nodeOptions: string | undefined,
	logFile: string,
	roots: string[],
): NodeJS.ProcessEnv {
	const probe = path.join(__dirname, 'resolveProbe.js');
	if (/\s/.test(probe))
		throw new Error(`the resolve probe cannot be preloaded from a path with spaces: ${probe}`);
	return {
		NODE_OPTIONS: [nodeOptions, `--require=${probe}`].filter(Boolean).join(' '),
		BLOCKS_RESOLVE_LOG: logFile,
		BLOCKS_RESOLVE_ROOTS: roots.join(path.delimiter),
	};
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
			N8N_ENCRYPTION_KEY: E2E_ENCRYPTION_KEY,
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
			await waitFor(
				`${url}/healthz/readiness`,
				async () =>
					(await httpJson('GET', `${url}/healthz/readiness`)).status === 200 ? true : undefined,
				{ timeoutMs, intervalMs: 500, abort: exitedEarly },
			);
			// n8n 1.x answers readiness a moment before its REST routes exist (they 404 until then);
			// /rest/settings is the first call the editor makes and needs no login
			await waitFor(
				`${url}/rest/settings`,
				async () =>
					(await httpJson('GET', `${url}/rest/settings`)).status === 200 ? true : undefined,
				{ timeoutMs, intervalMs: 250, abort: exitedEarly },
			);
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

export interface HttpResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
	json?: unknown;
}

/** Minimal HTTP client for loopback calls (Node 20's fetch hides Set-Cookie handling details). */
export function httpJson(
	method: string,
	url: string,
	body?: unknown,
	headers: Record<string, string> = {},
	timeoutMs = 10_000,
): Promise<HttpResponse> {
	return new Promise((resolve, reject) => {
		const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
		const req = http.request(
			url,
			{
				method,
				headers: {
					accept: 'application/json',
					...(data
						? { 'content-type': 'application/json', 'content-length': String(data.length) }
						: {}),
					...headers,
				},
				timeout: timeoutMs,
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (c: string) => (text += c));
				res.on('end', () => {
					let json: unknown;
					try {
						json = text ? JSON.parse(text) : undefined;
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
		req.on('error', reject);
		if (data) req.write(data);
		req.end();
	});
}
