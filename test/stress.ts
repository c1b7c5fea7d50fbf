/**
 * `npm run test:stress`: the fast suite three times in a row while another process keeps one
 * core busy, as on a shared CI machine. A test that passes only on an idle machine fails here.
 * The CPU burner is started and stopped by this script, also when a run fails or it is stopped.
 * STRESS_ROUNDS sets the number of rounds (.ci/run runs one: see there why).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROUNDS = Number(process.env.STRESS_ROUNDS || 3);
const ROOT = path.resolve(__dirname, '../..');
const JEST = path.join(ROOT, 'node_modules/jest/bin/jest.js');

/** Spins until stopped; checks now and then that this script is alive, so it never outlives it. */
const BURN = `const parent = process.ppid;
for (;;) {
	for (let i = 0; i < 1e8; i++);
	if (process.ppid !== parent) process.exit();
}`;

function startBurner(): ChildProcess {
	return spawn(process.execPath, ['-e', BURN], { stdio: 'ignore' });
}

function runJest(extraArgs: string[]): Promise<number> {
	return new Promise((resolve, reject) => {
		const jest = spawn(process.execPath, [JEST, ...extraArgs], { cwd: ROOT, stdio: 'inherit' });
		jest.on('error', reject);
		jest.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
	});
}

async function main(): Promise<number> {
	if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
		throw new Error(`STRESS_ROUNDS=${process.env.STRESS_ROUNDS} is not a whole number above 0`);
	}
	const burner = startBurner();
	const stop = () => burner.kill('SIGKILL');
	process.on('exit', stop);
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.on(signal, () => {
			stop();
			process.exit(1);
		});
	}
	const started = Date.now();
	try {
		for (let round = 1; round <= ROUNDS; round++) {
			console.log(`::: stress round ${round} of ${ROUNDS} (one core busy)`);
			const code = await runJest(process.argv.slice(2));
			if (code !== 0) {
				console.log(`::: stress round ${round} failed`);
				return code;
			}
		}
		console.log(
			`::: stress: ${ROUNDS} rounds passed in ${Math.round((Date.now() - started) / 1000)} s`,
		);
		return 0;
	} finally {
		stop();
	}
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
