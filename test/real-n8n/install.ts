/**
 * Installs the pinned n8n releases (and Node 24 from the npm package `node`) into a cache folder
 * outside the repository, once. A folder counts as installed only when its marker file exists;
 * the marker is written last, so an interrupted install is thrown away and redone.
 *
 * Recipe (everything from the npm registry, nothing else downloaded):
 * - `npm install n8n@<v> --ignore-scripts`: one dependency's install script downloads a binary
 *   from outside the registry, and no install script is needed except sqlite3's native build;
 * - `npm rebuild sqlite3` afterwards compiles sqlite against the Node that will run n8n
 *   (for Node 24, `npm_config_nodedir` points at the headers shipped in the `node` package;
 *   the machine's npm config points at the system Node 20 headers);
 * - 1.x: `overrides: { xlsx: "0.18.5" }`, because n8n 1.x pins xlsx to a tarball URL outside the registry.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { elapsed } from './elapsed';
import { pollUntil } from '../support/pollUntil';
import { run, withoutNpmScriptVariables } from './processes';
import { N8nTarget } from './versions';

const MARKER = '.install-complete.json';

export function cacheRoot(): string {
	const fromEnv = process.env.N8N_E2E_CACHE;
	return path.resolve(
		fromEnv && fromEnv.trim() ? fromEnv : path.join(os.homedir(), '.cache', 'n8n-nodes-blocks'),
	);
}

export interface N8nInstall {
	target: N8nTarget;
	dir: string;
	/** Node executable that runs n8n. */
	nodeExec: string;
	/** n8n's CLI entry script (run as `nodeExec n8nBin …`). */
	n8nBin: string;
	/** Environment for anything run with this install (PATH has the right `node` first). */
	env: NodeJS.ProcessEnv;
}

function log(msg: string): void {
	console.log(`[install] ${msg}`);
}

/** Environment for npm: the caller's, minus npm's own per-script variables. */
function npmEnv(extra: NodeJS.ProcessEnv, binDir?: string): NodeJS.ProcessEnv {
	const env = withoutNpmScriptVariables();
	if (binDir) env.PATH = `${binDir}${path.delimiter}${env.PATH ?? ''}`;
	return {
		...env,
		npm_config_audit: 'false',
		npm_config_fund: 'false',
		npm_config_update_notifier: 'false',
		...extra,
	};
}

async function npm(
	label: string,
	cwd: string,
	args: string[],
	env: NodeJS.ProcessEnv,
	timeoutMs: number,
): Promise<void> {
	const t0 = Date.now();
	log(`${label}: npm ${args.join(' ')} (in ${cwd})`);
	const heartbeat = setInterval(() => log(`${label}: still running (${elapsed(t0)})`), 30_000);
	const r = await run('npm', args, {
		cwd,
		env,
		timeoutMs,
		onLine: (line) => {
			if (line.trim()) log(`${label}: ${line}`);
		},
	}).finally(() => clearInterval(heartbeat));
	if (r.code !== 0) {
		throw new Error(
			`${label}: npm ${args.join(' ')} failed (${r.timedOut ? 'timed out' : `exit ${r.code}`}) after ${elapsed(t0)}`,
		);
	}
	log(`${label}: done in ${elapsed(t0)}`);
}

/** Cross-process lock (mkdir is atomic); a lock left by a dead process is taken over. */
async function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
	const lock = `${dir}.lock`;
	fs.mkdirSync(path.dirname(lock), { recursive: true });
	const tryTake = (): boolean => {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			return true;
		} catch {
			let pid = NaN;
			try {
				pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
			} catch {
				// being written right now, or left half-made
			}
			let alive = false;
			if (Number.isFinite(pid) && pid > 0) {
				try {
					process.kill(pid, 0);
					alive = true;
				} catch {
					alive = false;
				}
			}
			if (!alive && Number.isFinite(pid)) fs.rmSync(lock, { recursive: true, force: true });
			return false;
		}
	};
	if (!tryTake()) {
		log(`${path.basename(dir)} is being installed by another process; waiting for it`);
		await pollUntil(tryTake, {
			timeoutMs: 30 * 60_000,
			intervalMs: 2_000,
			description: `the install lock ${lock}`,
		});
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

function readMarker(dir: string): Record<string, unknown> | undefined {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8')) as Record<string, unknown>;
	} catch {
		return undefined;
	}
}

function writeMarker(dir: string, data: Record<string, unknown>): void {
	fs.writeFileSync(
		path.join(dir, MARKER),
		JSON.stringify({ ...data, installedAt: new Date().toISOString() }, null, 2),
	);
}

/** A fresh, empty install folder (a leftover without marker is an interrupted install). */
function freshDir(dir: string, pkg: Record<string, unknown>): void {
	if (fs.existsSync(dir)) {
		log(`removing incomplete install at ${dir}`);
		fs.rmSync(dir, { recursive: true, force: true });
	}
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
}

/** Node from the npm package `node@<version>`; returns the folder that has `bin/node` and the headers. */
async function ensureNodeRuntime(
	version: string,
): Promise<{ nodeExec: string; binDir: string; headersDir: string }> {
	const dir = path.join(cacheRoot(), `node-${version}`);
	const pkgDir = path.join(dir, 'node_modules', 'node');
	const result = {
		nodeExec: path.join(pkgDir, 'bin', 'node'),
		binDir: path.join(pkgDir, 'bin'),
		headersDir: path.join(pkgDir, 'node_modules', `node-${process.platform}-${process.arch}`),
	};
	if (readMarker(dir)?.version === version) return result;
	return withLock(dir, async () => {
		if (readMarker(dir)?.version === version) return result;
		const t0 = Date.now();
		log(`Node ${version}: installing from the npm package node@${version} into ${dir}`);
		// the package's preinstall script is what fetches the platform build: allow it explicitly
		freshDir(dir, { name: 'node-runtime', private: true, allowScripts: { node: true } });
		await npm(
			`node@${version}`,
			dir,
			['install', `node@${version}`, '--no-audit', '--no-fund'],
			npmEnv({}),
			10 * 60_000,
		);
		const check = await run(result.nodeExec, ['--version'], { timeoutMs: 30_000 });
		if (check.stdout.trim() !== `v${version}`) {
			throw new Error(
				`node@${version} installed but ${result.nodeExec} --version printed ${JSON.stringify(check.stdout + check.stderr)}`,
			);
		}
		if (!fs.existsSync(path.join(result.headersDir, 'include', 'node', 'node_api.h'))) {
			throw new Error(`node@${version}: headers not found under ${result.headersDir}`);
		}
		writeMarker(dir, { version });
		log(`Node ${version}: ready in ${elapsed(t0)}`);
		return result;
	});
}

export async function ensureN8n(target: N8nTarget): Promise<N8nInstall> {
	const dir = path.join(cacheRoot(), `n8n-${target.n8nVersion}`);
	let nodeExec = process.execPath;
	let binDir: string | undefined;
	const extraEnv: NodeJS.ProcessEnv = {};
	if (target.node !== 'system') {
		const rt = await ensureNodeRuntime(target.node);
		nodeExec = rt.nodeExec;
		binDir = rt.binDir;
		extraEnv.npm_config_nodedir = rt.headersDir;
	} else {
		binDir = path.dirname(process.execPath);
	}
	const env = npmEnv(extraEnv, binDir);
	const install: N8nInstall = {
		target,
		dir,
		nodeExec,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		env,
	};
	const wanted = { version: target.n8nVersion, node: target.node };
	const isReady = () => {
		const m = readMarker(dir);
		return (
			m?.version === wanted.version && m?.node === wanted.node && fs.existsSync(install.n8nBin)
		);
	};
	if (isReady()) {
		log(`${target.label}: cached at ${dir}`);
		return install;
	}
	return withLock(dir, async () => {
		if (isReady()) return install;
		const t0 = Date.now();
		log(`${target.label}: installing into ${dir} (cold install: several minutes, 2-3 GB)`);
		freshDir(dir, {
			name: 'n8n-runtime',
			private: true,
			...(target.overrides ? { overrides: target.overrides } : {}),
		});
		await npm(
			target.label,
			dir,
			[
				'install',
				`n8n@${target.n8nVersion}`,
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
				'--loglevel=error',
			],
			env,
			25 * 60_000,
		);
		await npm(
			`${target.label} sqlite3`,
			dir,
			['rebuild', 'sqlite3', '--loglevel=error'],
			env,
			15 * 60_000,
		);
		const sqliteCheck = await run(
			nodeExec,
			['-e', "require('sqlite3'); console.log('sqlite3 ok')"],
			{
				cwd: dir,
				env,
				timeoutMs: 60_000,
			},
		);
		if (!sqliteCheck.stdout.includes('sqlite3 ok')) {
			throw new Error(
				`${target.label}: sqlite3 does not load after rebuild:\n${sqliteCheck.stderr}`,
			);
		}
		const versionCheck = await run(nodeExec, [install.n8nBin, '--version'], {
			cwd: dir,
			env,
			timeoutMs: 120_000,
		});
		if (!versionCheck.stdout.includes(target.n8nVersion)) {
			throw new Error(
				`${target.label}: n8n --version printed ${JSON.stringify(versionCheck.stdout.trim())} ${versionCheck.stderr.trim()}`,
			);
		}
		writeMarker(dir, wanted);
		log(`${target.label}: ready in ${elapsed(t0)}`);
		return install;
	});
}
