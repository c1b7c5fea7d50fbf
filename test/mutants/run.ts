/**
 * `npm run test:mutants`: breaks the node on purpose, one way at a time, and checks that a test
 * notices. Each mutant in mutants.json is a list of exact-text edits to files under nodes/; it is
 * applied to a scratch copy of the repository (never to the working tree) and its Jest files are
 * run there. Prints, per mutant, whether it was killed and by which test; exits non-zero when any
 * survives or can no longer be applied.
 *
 * Options: --only <text> runs the mutants whose name contains it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface Edit {
	file: string;
	find: string;
	replace: string;
}

interface Mutant {
	name: string;
	edits: Edit[];
	tests: string[];
}

type Verdict =
	| { kind: 'killed'; by: string[] }
	| { kind: 'survived' }
	| { kind: 'not applied'; reason: string }
	| { kind: 'did not run'; reason: string };

const ROOT = path.resolve(__dirname, '../../..');
const LIST = path.join(ROOT, 'test/mutants/mutants.json');
const JEST = path.join(ROOT, 'node_modules/jest/bin/jest.js');

/** The working tree as git sees it (ignored files left out), copied; node_modules linked. */
function scratchCopy(): string {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'blocks-mutants-'));
	const files = execFileSync(
		'git',
		['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
		{ cwd: ROOT, encoding: 'utf8' },
	)
		.split('\0')
		.filter((file) => file && existsSync(path.join(ROOT, file)));
	for (const file of files) {
		mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
		cpSync(path.join(ROOT, file), path.join(dir, file));
	}
	symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
	return dir;
}

/** Applies the mutant's edits in `dir`; returns why it could not, if it could not. */
function apply(dir: string, mutant: Mutant): string | undefined {
	for (const edit of mutant.edits) {
		const file = path.join(dir, edit.file);
		const text = readFileSync(file, 'utf8');
		const count = text.split(edit.find).length - 1;
		if (count !== 1) return `${edit.file}: the text to find occurs ${count} times, not once`;
		writeFileSync(
			file,
			text.replace(edit.find, () => edit.replace),
		);
	}
	return undefined;
}

function restore(dir: string, mutant: Mutant) {
	for (const edit of mutant.edits) cpSync(path.join(ROOT, edit.file), path.join(dir, edit.file));
}

interface JestReport {
	numFailedTests: number;
	numRuntimeErrorTestSuites: number;
	testResults: Array<{
		name: string;
		message: string;
		assertionResults: Array<{ fullName: string; status: string }>;
	}>;
}

/** The Jest run in progress, stopped with this script. */
let runningJest: ChildProcess | undefined;

async function runTests(dir: string, mutant: Mutant): Promise<Verdict> {
	const report = path.join(dir, 'mutant-report.json');
	rmSync(report, { force: true });
	await new Promise<void>((resolve, reject) => {
		const jest = spawn(
			process.execPath,
			[JEST, '--json', `--outputFile=${report}`, '--silent', ...mutant.tests],
			{
				cwd: dir,
				stdio: ['ignore', 'ignore', 'pipe'],
				env: { ...process.env, JEST_FAILURES_FILE: '' },
			},
		);
		runningJest = jest;
		jest.stderr.resume();
		jest.on('error', reject);
		jest.on('exit', () => resolve());
	});
	let result: JestReport;
	try {
		result = JSON.parse(readFileSync(report, 'utf8')) as JestReport;
	} catch {
		return { kind: 'did not run', reason: 'Jest wrote no report' };
	}
	// A mutant that does not compile proves nothing: every test fails for the wrong reason.
	if (result.numRuntimeErrorTestSuites > 0) {
		const broken = result.testResults.find((file) => file.message && !file.assertionResults.length);
		return { kind: 'did not run', reason: firstLine(broken?.message ?? 'a test file did not run') };
	}
	const by = result.testResults.flatMap((file) =>
		file.assertionResults
			.filter((test) => test.status === 'failed')
			.map((test) => `${path.relative(dir, file.name)}: ${test.fullName}`),
	);
	return by.length ? { kind: 'killed', by } : { kind: 'survived' };
}

/** The first line of Jest's message that says what went wrong (not its heading). */
function firstLine(text: string): string {
	const lines = text
		.replace(/\u001b\[[0-9;]*m/g, '')
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line && !line.startsWith('●'));
	return lines[0] ?? 'a test file did not run';
}

async function main(): Promise<number> {
	const only = process.argv.indexOf('--only');
	const filter = only >= 0 ? process.argv[only + 1] : undefined;
	const { mutants } = JSON.parse(readFileSync(LIST, 'utf8')) as { mutants: Mutant[] };
	const chosen = mutants.filter((mutant) => !filter || mutant.name.includes(filter));
	const dir = scratchCopy();
	const removeCopy = () => rmSync(dir, { recursive: true, force: true });
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.on(signal, () => {
			runningJest?.kill('SIGKILL');
			removeCopy();
			process.exit(1);
		});
	}
	let bad = 0;
	try {
		for (const mutant of chosen) {
			const reason = apply(dir, mutant);
			const verdict: Verdict = reason
				? { kind: 'not applied', reason }
				: await runTests(dir, mutant);
			restore(dir, mutant);
			if (verdict.kind !== 'killed') bad++;
			console.log(describe(mutant, verdict));
		}
	} finally {
		removeCopy();
	}
	console.log(`${chosen.length - bad} of ${chosen.length} mutants killed`);
	return bad ? 1 : 0;
}

function describe(mutant: Mutant, verdict: Verdict): string {
	switch (verdict.kind) {
		case 'killed':
			return `KILLED    ${mutant.name}\n          by ${verdict.by[0]}${verdict.by.length > 1 ? ` (and ${verdict.by.length - 1} more)` : ''}`;
		case 'survived':
			return `SURVIVED  ${mutant.name}\n          no test in ${mutant.tests.join(', ')} failed`;
		default:
			return `${verdict.kind.toUpperCase()}  ${mutant.name}\n          ${verdict.reason}`;
	}
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
