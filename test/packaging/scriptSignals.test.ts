import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { until } from '../support/until';
import { localEnv, ROOT } from './scripts';

/**
 * Stopping `npm run emulator` (or demo, or dev) by npm's process id must stop the program it
 * started: npm passes SIGTERM to the script's shell, and a shell that is waiting for node dies
 * without passing it on. The scripts run here exactly as package.json has them, in a scratch
 * package whose build steps do nothing and whose programs are stand-ins that print their pid
 * and listen until killed.
 */
const LONG_RUNNING = {
	emulator: 'build/emulator/cli.js',
	demo: 'build/scripts/demo.js',
	dev: 'build/scripts/dev/editor.js',
} as const;

const STAND_IN = `require('node:http').createServer().listen(0, '127.0.0.1', () => console.log('pid ' + process.pid));`;

const scripts = (
	JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
		scripts: Record<string, string>;
	}
).scripts;

let scratch: string;
const started: number[] = [];
beforeAll(() => {
	scratch = mkdtempSync(path.join(tmpdir(), 'script-signals-'));
	const copied: Record<string, string> = { build: 'node -e 0', 'build:tools': 'node -e 0' };
	for (const [name, program] of Object.entries(LONG_RUNNING)) {
		copied[name] = scripts[name];
		mkdirSync(path.join(scratch, path.dirname(program)), { recursive: true });
		writeFileSync(path.join(scratch, program), STAND_IN);
	}
	writeFileSync(
		path.join(scratch, 'package.json'),
		JSON.stringify({ name: 'script-signals', version: '1.0.0', private: true, scripts: copied }),
	);
});
afterAll(() => {
	for (const pid of started) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
	rmSync(scratch, { recursive: true, force: true });
});

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

function exited(child: ChildProcess): Promise<void> {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) resolve();
		else child.once('exit', () => resolve());
	});
}

describe('stopping npm stops what the script started', () => {
	test.each(Object.entries(LONG_RUNNING))(
		'npm run %s',
		async (script, program) => {
			expect(scripts[script]).toContain(`node ${program}`);
			const npm = spawn('npm', ['run', script], {
				cwd: scratch,
				env: localEnv(),
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let output = '';
			npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
			await until(() => /pid (\d+)/.test(output), `${script}: the program started`);
			const pid = Number(/pid (\d+)/.exec(output)![1]);
			started.push(pid);

			npm.kill('SIGTERM');
			await exited(npm);
			await until(() => !isAlive(pid), `${script}: the program stopped with npm`);
		},
		150_000,
	);
});
