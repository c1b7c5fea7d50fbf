/**
 * Child processes for the tooling (the e2e suite, the dev editor): started, awaited and stopped.
 *
 * Every process is started as the leader of its own process group, so stopping it also stops
 * whatever it started (n8n starts task runners). All live groups are remembered and killed when
 * this process exits for any reason, so a failed or interrupted run leaves nothing behind.
 */
import { ChildProcess, spawn } from 'child_process';
import * as net from 'net';

const live = new Set<ChildProcess>();
let exitHooksInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

/** Kills every process group still running (synchronous, safe inside an 'exit' handler). */
export function killAll(signal: NodeJS.Signals = 'SIGKILL'): void {
	for (const child of live) killGroup(child, signal);
}

/**
 * Makes sure children die with this process: on normal exit, on an uncaught error and on
 * SIGINT/SIGTERM/SIGHUP. `onSignal` may do an orderly shutdown first; it must settle quickly.
 */
export function installExitHooks(onSignal?: (signal: NodeJS.Signals) => Promise<void>): void {
	if (exitHooksInstalled) return;
	exitHooksInstalled = true;
	process.on('exit', () => killAll('SIGKILL'));
	let stopping = false;
	const handler = (signal: NodeJS.Signals) => {
		if (stopping) {
			killAll('SIGKILL');
			process.exit(130);
		}
		stopping = true;
		const finish = () => {
			killAll('SIGKILL');
			process.exit(signal === 'SIGINT' ? 130 : 143);
		};
		if (onSignal) onSignal(signal).then(finish, finish);
		else finish();
	};
	process.on('SIGINT', handler);
	process.on('SIGTERM', handler);
	process.on('SIGHUP', handler);
}

export interface StartOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Called for each complete line of output (stdout and stderr). */
	onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface Started {
	child: ChildProcess;
	/** Resolves when the process has exited. */
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	stdout: () => string;
	stderr: () => string;
	/** SIGTERM to the group, SIGKILL after `graceMs` if it has not exited by then. */
	stop: (graceMs?: number) => Promise<void>;
}

function lineSplitter(cb: (line: string) => void): { push: (s: string) => void; end: () => void } {
	let rest = '';
	return {
		push(s: string) {
			rest += s;
			let i: number;
			while ((i = rest.indexOf('\n')) >= 0) {
				cb(rest.slice(0, i).replace(/\r$/, ''));
				rest = rest.slice(i + 1);
			}
		},
		end() {
			if (rest) cb(rest);
			rest = '';
		},
	};
}

export function start(command: string, args: string[], opts: StartOptions = {}): Started {
	const child = spawn(command, args, {
		cwd: opts.cwd,
		env: opts.env ?? process.env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	live.add(child);
	let out = '';
	let err = '';
	const outLines = lineSplitter((l) => opts.onLine?.(l, 'stdout'));
	const errLines = lineSplitter((l) => opts.onLine?.(l, 'stderr'));
	child.stdout?.setEncoding('utf8');
	child.stderr?.setEncoding('utf8');
	child.stdout?.on('data', (d: string) => {
		out += d;
		outLines.push(d);
	});
	child.stderr?.on('data', (d: string) => {
		err += d;
		errLines.push(d);
	});
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
		child.on('error', (e) => {
			err += `\n[spawn error] ${e.message}\n`;
			live.delete(child);
			resolve({ code: null, signal: null });
		});
		child.on('close', (code, signal) => {
			outLines.end();
			errLines.end();
			live.delete(child);
			// the leader is gone; make sure nothing it started lingers
			if (child.pid !== undefined) {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					// group already empty
				}
			}
			resolve({ code, signal });
		});
	});
	const stop = async (graceMs = 10_000) => {
		if (child.exitCode !== null || child.signalCode !== null || !live.has(child)) {
			await exited;
			return;
		}
		killGroup(child, 'SIGTERM');
		const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
		await exited;
		clearTimeout(timer);
	};
	return { child, exited, stdout: () => out, stderr: () => err, stop };
}

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
	timedOut: boolean;
}

/** Runs a command to completion; kills its whole group if it takes longer than `timeoutMs`. */
export async function run(
	command: string,
	args: string[],
	opts: StartOptions & { timeoutMs: number },
): Promise<RunResult> {
	const t0 = Date.now();
	const p = start(command, args, opts);
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		void p.stop(5_000);
	}, opts.timeoutMs);
	const { code, signal } = await p.exited;
	clearTimeout(timer);
	return { code, signal, stdout: p.stdout(), stderr: p.stderr(), ms: Date.now() - t0, timedOut };
}

/** Asks the OS for a free loopback TCP port. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

/** True when something accepts connections on 127.0.0.1:port. */
export function portInUse(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const sock = net.connect({ host: '127.0.0.1', port });
		sock.once('connect', () => {
			sock.destroy();
			resolve(true);
		});
		sock.once('error', () => resolve(false));
	});
}

/** The caller's environment minus npm's per-script variables, so a nested npm runs as if typed. */
export function withoutNpmScriptVariables(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	const clean: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(env)) if (!/^npm_/i.test(k)) clean[k] = v;
	return clean;
}
