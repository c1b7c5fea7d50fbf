import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { getHeapStatistics } from 'node:v8';

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
			// compiled to build/test/bench/
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

/** The machine's 1-minute load average when read, against its cores. */
export interface Load {
	oneMinute: number;
	cores: number;
	/** Above half the cores: other work was competing with the bench for the CPU. */
	busy: boolean;
	text: string;
}

export function loadAverage(): Load {
	const [oneMinute, fiveMinutes] = os.loadavg();
	const cores = os.cpus().length;
	return {
		oneMinute,
		cores,
		busy: oneMinute > cores / 2,
		text: `load average ${oneMinute.toFixed(2)} (5 min: ${fiveMinutes.toFixed(2)}) on ${cores} cores`,
	};
}

/**
 * The load average once it has fallen to half the cores, or after `boundMs` if it has not. The
 * bench is started right after its own build, whose compile alone lifts the 1-minute average
 * above 1 on 2 cores for a minute or so: read at once, it would mark every run busy. The wait is
 * on the condition, polled every 5 s, and bounded: a machine that stays busy is reported so.
 */
export async function settledLoad(boundMs: number, onWait: (load: Load) => void): Promise<Load> {
	const until = Date.now() + boundMs;
	let load = loadAverage();
	while (load.busy && Date.now() < until) {
		onWait(load);
		await new Promise((resolve) => setTimeout(resolve, 5_000));
		load = loadAverage();
	}
	return load;
}

/** V8's heap in use; cheaper to read than process.memoryUsage(), which measures the RSS too. */
const heapUsed = () => getHeapStatistics().used_heap_size;

/**
 * The heap's growth over a run: its peak, sampled while the run goes on, less what it held at
 * the start (after a collection when the bench runs with --expose-gc, as `npm run bench` does).
 */
export class HeapWatch {
	private readonly before: number;
	private peak: number;
	private readonly timer: NodeJS.Timeout;

	constructor() {
		(globalThis as { gc?: () => void }).gc?.();
		this.before = heapUsed();
		this.peak = this.before;
		this.timer = setInterval(() => this.sample(), 100);
	}

	private sample() {
		this.peak = Math.max(this.peak, heapUsed());
	}

	/** Stops sampling; the growth in bytes. */
	stop(): number {
		clearInterval(this.timer);
		this.sample();
		return this.peak - this.before;
	}
}
