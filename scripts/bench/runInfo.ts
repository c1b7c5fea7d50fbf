import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

// What a benchmark ran on and which node code it measured, for the head of its report.

export function machine(): string {
	const cpus = os.cpus();
	const model = cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
	return `Node ${process.version} · ${cpus.length} cores (${model}) · ${os.platform()} ${os.arch()}`;
}

/** The commit the node was built from, and whether its sources differ from it. */
export function nodeVersion(): string {
	const git = (...args: string[]) =>
		execFileSync('git', args, {
			// compiled to build/scripts/bench/
			cwd: path.resolve(__dirname, '../../..'),
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}).trim();
	try {
		const dirty = git('status', '--porcelain', '--', 'nodes', 'credentials') !== '';
		return `node code at ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes' : ''}`;
	} catch {
		return 'node code version unknown (no git)';
	}
}
