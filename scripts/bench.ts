/**
 * `npm run bench`: compares this node's Wait for Reply with the two ways users wait for Blocks
 * replies today (the quick-start polling loop in a Code node, and the n8n HTTP Request + Wait +
 * IF loop), against the local Blocks API emulator with its 100 requests/minute limit, on
 * emulated time. Prints one table and the targets, writes them to bench-results/latest.md and,
 * after a run of every scenario and strategy, between the bench markers of docs/performance.md.
 *
 * Options: --scale <x> (emulated time ×x, default 10), --cap <s> (emulated seconds per run,
 * default 900), --seed <n> (default 1), --only <scenario key,…>, --strategies <key,…>,
 * --dump <dir> (writes every run's request log as JSON, for a closer look).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { shutdownEngine } from '../engine';
import { replaceClock } from '../nodes/Blocks/time';
import { writeMarkdownSection } from './docs/markdownSection';
import { EmulatorProcess } from './bench/emulatorProcess';
import { machine, nodeVersion } from './bench/runInfo';
import { detect, pollsByThread } from './bench/measure';
import { SeededRandom, seedFor } from './bench/prng';
import { document, targets, type ReportSettings, type RunResult } from './bench/report';
import { ScaledClock, wallNowMs } from '../engine/scaledClock';
import { itemsOf, scenarios as allScenarios, type Scenario } from './bench/scenarios';
import { STRATEGIES, type BenchItem, type Strategy } from './bench/strategies';

const API_LIMIT = 100;
/** The node's allowance with the credential's defaults: 100/min, 10 % reserved. */
const NODE_ALLOWANCE = 90;
const OUTPUT = path.resolve(__dirname, '../../bench-results/latest.md');
const PERFORMANCE_PAGE = path.resolve(__dirname, '../../docs/performance.md');
const PERFORMANCE_INTRO =
	'Waiting on many agents through one key is what the node is built for. `npm run bench` runs the ' +
	"node's Wait for Reply and the two usual patterns (the Blocks quick-start's 5-second loop in a Code " +
	"node, and n8n's HTTP Request + Wait + IF loop) against the emulator with its 100 requests/minute " +
	'limit on, and writes this section. The last run:';

interface Options {
	scale: number;
	capMs: number;
	seed: number;
	only?: string[];
	strategies?: string[];
	dump?: string;
}

function parseOptions(argv: string[]): Options {
	const options: Options = { scale: 10, capMs: 900_000, seed: 1 };
	for (let index = 0; index < argv.length; index += 2) {
		const [flag, value] = [argv[index], argv[index + 1]];
		if (value === undefined) throw new Error(`${flag} needs a value`);
		const number = Number(value);
		switch (flag) {
			case '--scale':
				if (!(number > 0)) throw new Error('--scale must be > 0');
				options.scale = number;
				break;
			case '--cap':
				if (!(number > 0)) throw new Error('--cap must be > 0 (emulated seconds)');
				options.capMs = number * 1000;
				break;
			case '--seed':
				if (!Number.isInteger(number)) throw new Error('--seed must be an integer');
				options.seed = number;
				break;
			case '--only':
				options.only = value.split(',');
				break;
			case '--strategies':
				options.strategies = value.split(',');
				break;
			case '--dump':
				options.dump = path.resolve(value);
				break;
			default:
				throw new Error(`Unknown option ${flag}`);
		}
	}
	return options;
}

/** One strategy on one scenario, against a fresh emulator (and so a fresh rate-limit window). */
async function runOnce(
	host: EmulatorProcess,
	scenario: Scenario,
	strategy: Strategy,
	items: BenchItem[],
	options: Options,
	repetition = 0,
): Promise<RunResult> {
	// A key of its own per run: the node keeps one rate budget per key and base URL per process.
	const apiKey = `blk_bench_${randomBytes(6).toString('hex')}`;
	const started = await host.start({ timeScale: options.scale, apiKey });
	const random = new SeededRandom(
		seedFor(options.seed, `${scenario.key}/${strategy.key}/${repetition}`),
	);
	const clock = new ScaledClock(options.scale, started.emulatedNow, started.wallNow, random.next);
	const restoreClock = replaceClock(clock);
	const cap = new AbortController();
	const capTimer = setTimeout(() => cap.abort(), options.capMs / options.scale);

	const cpuBefore = process.cpuUsage();
	const realStart = wallNowMs();
	const emulatedStart = clock.now();
	let outcome;
	try {
		outcome = await strategy.run({
			baseUrl: started.url,
			apiKey,
			clock,
			items,
			waitForReply: scenario.waitForReply,
			signal: cap.signal,
		});
	} finally {
		clearTimeout(capTimer);
		restoreClock();
	}
	const wallMs = clock.now() - emulatedStart;
	const realMs = wallNowMs() - realStart;
	const cpu = process.cpuUsage(cpuBefore);

	const log = await host.requestLog();
	const polls = pollsByThread(log);
	const threadIds = [
		...new Set([...polls.keys(), ...outcome.items.flatMap((item) => item.threadId ?? [])]),
	];
	const readyTimes = await host.readyAt(threadIds);
	await host.close();

	const readyAt = new Map(threadIds.map((id, index) => [id, readyTimes[index]]));
	if (options.dump) {
		mkdirSync(options.dump, { recursive: true });
		const file = path.join(options.dump, `${scenario.key}.${strategy.key}.${repetition}.json`);
		const toEmulatedS = (wall: number) =>
			Number((((wall - realStart) * options.scale) / 1000).toFixed(3));
		writeFileSync(
			file,
			JSON.stringify(
				{
					scenario: scenario.key,
					strategy: strategy.key,
					scale: options.scale,
					delaysMs: scenario.delaysMs,
					items: outcome.items,
					readyAtS: Object.fromEntries(
						[...readyAt].map(([id, at]) => [id, at === null ? null : toEmulatedS(at)]),
					),
					requests: log.map((entry) => ({ ...entry, atS: toEmulatedS(entry.receivedAt) })),
				},
				null,
				1,
			),
		);
	}
	const failReasons = new Map<string, number>();
	for (const item of outcome.items) {
		if (item.state === 'failed')
			failReasons.set(item.reason ?? '?', (failReasons.get(item.reason ?? '?') ?? 0) + 1);
	}
	return {
		scenario,
		strategy,
		wallMs,
		realMs,
		cpuMs: (cpu.user + cpu.system) / 1000,
		requests: log.length,
		rateLimited: log.filter((entry) => entry.status === 429).length,
		done: outcome.items.filter((item) => item.state === 'done').length,
		failed: outcome.items.filter((item) => item.state === 'failed').length,
		unfinished: outcome.items.filter((item) => item.state === 'unfinished').length,
		capped: outcome.capped,
		detection: scenario.waitForReply
			? detect(outcome.items, outcome.capped, polls, readyAt, options.scale)
			: { delaysMs: [], detected: 0, anomalies: 0 },
		failReasons,
	};
}

/**
 * Several runs of one strategy on one scenario as one row: wall time, requests and CPU are the
 * median run's, 429s and failed items are summed, detection delays are pooled.
 */
function combine(runs: RunResult[]): RunResult {
	if (runs.length === 1) return runs[0];
	const middle = (key: (run: RunResult) => number) =>
		key([...runs].sort((a, b) => key(a) - key(b))[(runs.length - 1) >> 1]);
	const sum = (key: (run: RunResult) => number) => runs.reduce((total, run) => total + key(run), 0);
	const failReasons = new Map<string, number>();
	for (const run of runs) {
		for (const [reason, count] of run.failReasons)
			failReasons.set(reason, (failReasons.get(reason) ?? 0) + count);
	}
	return {
		...runs[0],
		wallMs: middle((run) => run.wallMs),
		realMs: sum((run) => run.realMs),
		cpuMs: middle((run) => run.cpuMs),
		requests: middle((run) => run.requests),
		rateLimited: sum((run) => run.rateLimited),
		done: sum((run) => run.done),
		failed: sum((run) => run.failed),
		unfinished: sum((run) => run.unfinished),
		capped: runs.some((run) => run.capped),
		detection: {
			delaysMs: runs.flatMap((run) => run.detection.delaysMs),
			detected: sum((run) => run.detection.detected),
			anomalies: sum((run) => run.detection.anomalies),
		},
		failReasons,
		runs: runs.length,
	};
}

/** Loads and JIT-warms the engine, the node and fetch, so the first measured run is not the one paying for it. */
async function warmUp(host: EmulatorProcess, options: Options) {
	const scenario: Scenario = {
		key: 'warm-up',
		label: 'warm-up',
		waitForReply: true,
		sessions: 3,
		delaysMs: [0, 500, 1000],
		repeat: 1,
	};
	for (const strategy of STRATEGIES.slice(0, 2)) {
		await runOnce(host, scenario, strategy, itemsOf(scenario), { ...options, dump: undefined }, -1);
	}
}

function progress(text: string) {
	process.stderr.write(`${text}\n`);
}

async function main() {
	const options = parseOptions(process.argv.slice(2));
	const scenarios = allScenarios(options.seed).filter(
		(s) => !options.only || options.only.includes(s.key),
	);
	const strategies = STRATEGIES.filter(
		(s) => !options.strategies || options.strategies.includes(s.key),
	);
	const settings: ReportSettings = {
		scale: options.scale,
		capMs: options.capMs,
		seed: options.seed,
		nodeAllowance: NODE_ALLOWANCE,
		apiLimit: API_LIMIT,
		command:
			process.argv.length > 2
				? `npm run bench -- ${process.argv.slice(2).join(' ')}`
				: 'npm run bench',
		machine: machine(),
		version: nodeVersion(),
		startedAt: new Date(),
	};
	const benchStart = wallNowMs();
	const host = EmulatorProcess.spawn();
	const results: RunResult[] = [];
	try {
		progress(
			`Blocks bench: emulated time ×${options.scale}, cap ${options.capMs / 1000} s emulated per run, ` +
				`seed ${options.seed}`,
		);
		await warmUp(host, options);
		for (const scenario of scenarios) {
			const items = itemsOf(scenario);
			for (const strategy of strategies) {
				const runs: RunResult[] = [];
				for (let repetition = 0; repetition < scenario.repeat; repetition++) {
					runs.push(await runOnce(host, scenario, strategy, items, options, repetition));
				}
				const result = combine(runs);
				results.push(result);
				const reasons = [...result.failReasons]
					.map(([reason, count]) => `${count}× ${reason}`)
					.join('; ');
				progress(
					`  ${scenario.label} · ${strategy.label}: ${(result.wallMs / 1000).toFixed(1)} s emulated ` +
						`(${(result.realMs / 1000).toFixed(1)} s real), ${result.requests} requests, ${result.rateLimited} × 429, ` +
						`${result.done} done, ${result.failed} failed${result.capped ? ', stopped at the cap' : ''}` +
						(result.detection.anomalies
							? `, ${result.detection.anomalies} detection anomalies`
							: '') +
						(reasons ? ` [${reasons}]` : ''),
				);
			}
		}
	} finally {
		host.dispose();
		shutdownEngine();
	}
	settings.totalRealMs = wallNowMs() - benchStart;
	const targetLines = targets(results, scenarios, settings);
	const markdown = document(results, scenarios, settings, targetLines);
	mkdirSync(path.dirname(OUTPUT), { recursive: true });
	writeFileSync(OUTPUT, `${markdown}\n`);
	console.log(markdown);
	console.log(`\nWritten to ${path.relative(process.cwd(), OUTPUT) || OUTPUT}`);
	// A partial run would leave the performance page's table short of scenarios or strategies.
	if (!options.only && !options.strategies) {
		writeMarkdownSection(PERFORMANCE_PAGE, 'bench', `${PERFORMANCE_INTRO}\n\n${markdown}`);
		console.log(`and to ${path.relative(process.cwd(), PERFORMANCE_PAGE)}`);
	}
}

main().catch((error: Error) => {
	console.error(`Bench failed: ${error.stack ?? error.message}`);
	process.exitCode = 1;
});
