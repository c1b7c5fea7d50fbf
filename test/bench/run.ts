/**
 * `npm run bench`: compares this node's Wait for Reply with the two ways users wait for Blocks
 * replies today (the quick-start polling loop in a Code node, and the n8n HTTP Request + Wait +
 * IF loop), against the local Blocks API emulator with its 100 requests/minute limit, on
 * emulated time. Prints the tables and the targets, writes them to bench-results/latest.md and,
 * after a run of every scenario and strategy on a machine that was not busy, between the bench
 * markers of docs/performance.md (the published figures). It prints the load average at its
 * start (once it has fallen to half the cores, for at most 3 minutes: the bench's own build lifts
 * it) and end; above half the cores the machine was busy, the figures say so and the published
 * ones are left as they are.
 *
 * Options: --scale <x> (emulated time ×x, default 10), --scale-large <x> (the same for the
 * 1,000-wait scenario, default --scale), --cap <s> (emulated seconds per run, default 900),
 * --seed <n> (default 1), --only <scenario key,…>, --strategies <key,…>, --dump <dir> (writes
 * every run's request log as JSON, for a closer look).
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { shutdownEngine } from '../engine';
import { replaceClock } from '../../nodes/Blocks/time';
import { writeMarkdownSection } from '../support/markdownSection';
import { EmulatorProcess } from './emulatorProcess';
import { HeapWatch, loadAverage, machine, nodeVersion, settledLoad } from './runInfo';
import { clairvoyantMakespanMs, detect, pollsByThread, repliesSeen } from './measure';
import { SeededRandom, seedFor } from './prng';
import { busy, document, targets, type ReportSettings, type RunResult } from './report';
import { ScaledClock, wallNowMs } from '../engine/scaledClock';
import { itemsOf, scenarios as allScenarios, type Scenario } from './scenarios';
import { STRATEGIES, type BenchItem, type Strategy, type StrategyOutcome } from './strategies';

const API_LIMIT = 100;
/** The node's allowance with the credential's defaults: 100/min, 10 % reserved. */
const NODE_ALLOWANCE = 90;
/** Emulated time between the starts of a scenario's groups (each on a key of its own). */
const GROUP_STAGGER_MS = 5_000;
/** Scenarios with this many sessions or more run at --scale-large. */
const LARGE_SESSIONS = 1_000;
/** How long the bench waits at most for the machine to settle before its first reading. */
const LOAD_SETTLE_BOUND_MS = 180_000;
const OUTPUT = path.resolve(__dirname, '../../../bench-results/latest.md');
const PUBLISHED = path.resolve(__dirname, '../../../docs/performance.md');
const PUBLISHED_INTRO =
	'Waiting on many agents through one key is what the node is built for. `npm run bench` runs the ' +
	"node's Wait for Reply and the two usual patterns (the Blocks quick-start's 5-second loop in a Code " +
	"node, and n8n's HTTP Request + Wait + IF loop) against the emulator with its 100 requests/minute " +
	'limit on, and writes this section when it ran on a machine that was not busy. The last such run:';

interface Options {
	scale: number;
	scaleLarge?: number;
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
			case '--scale-large':
				if (!(number > 0)) throw new Error('--scale-large must be > 0');
				options.scaleLarge = number;
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

/** The time scale a scenario runs at: the large one may be given its own (--scale-large). */
function scaleOf(scenario: Scenario, options: Options): number {
	return scenario.sessions >= LARGE_SESSIONS
		? (options.scaleLarge ?? options.scale)
		: options.scale;
}

/**
 * How long a run may take, emulated: the --cap, or twice what the budget forces when that is
 * longer (the 1,000 waits need more than 900 s however well they do).
 */
function capMsOf(scenario: Scenario, options: Options): number {
	return Math.max(options.capMs, 2 * clairvoyantMakespanMs(scenario.delaysMs, NODE_ALLOWANCE));
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
	const scale = scaleOf(scenario, options);
	// Keys of their own per run: the node keeps one rate budget per key and base URL per process.
	// Each group of waits (all of them, unless the scenario says otherwise) has its own key.
	const perKey = scenario.perKey ?? items.length;
	const groups = Array.from({ length: Math.ceil(items.length / perKey) }, (_, group) => ({
		from: group * perKey,
		items: items.slice(group * perKey, (group + 1) * perKey),
		apiKey: `blk_bench_${randomBytes(6).toString('hex')}`,
	}));
	const started = await host.start({
		timeScale: scale,
		apiKeys: groups.map((group) => group.apiKey),
	});
	const random = new SeededRandom(
		seedFor(options.seed, `${scenario.key}/${strategy.key}/${repetition}`),
	);
	const clock = new ScaledClock(scale, started.emulatedNow, started.wallNow, random.next);
	const restoreClock = replaceClock(clock);
	const cap = new AbortController();
	// Every group's run listens to the cap.
	setMaxListeners(0, cap.signal);
	const capTimer = setTimeout(() => cap.abort(), capMsOf(scenario, options) / scale);

	const heap = new HeapWatch();
	const cpuBefore = process.cpuUsage();
	const realStart = wallNowMs();
	const emulatedStart = clock.now();
	let outcome: StrategyOutcome;
	try {
		const outcomes = await Promise.all(
			groups.map(async (group, index) => {
				// Groups start one after another: a node run's start costs CPU, and two dozen at the
				// same moment would hold up each other's first polls by seconds of emulated time.
				await clock.sleep(index * GROUP_STAGGER_MS, cap.signal).catch(() => undefined);
				return await strategy.run({
					baseUrl: started.url,
					apiKey: group.apiKey,
					clock,
					items: group.items,
					waitForReply: scenario.waitForReply,
					signal: cap.signal,
				});
			}),
		);
		outcome = {
			items: outcomes.flatMap((groupOutcome, group) =>
				groupOutcome.items.map((item) => ({ ...item, index: item.index + groups[group].from })),
			),
			capped: outcomes.some((groupOutcome) => groupOutcome.capped),
		};
	} finally {
		clearTimeout(capTimer);
		restoreClock();
	}
	const wallMs = clock.now() - emulatedStart;
	const realMs = wallNowMs() - realStart;
	const cpu = process.cpuUsage(cpuBefore);
	const heapGrowthBytes = heap.stop();

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
		const toEmulatedS = (wall: number) => Number((((wall - realStart) * scale) / 1000).toFixed(3));
		writeFileSync(
			file,
			JSON.stringify(
				{
					scenario: scenario.key,
					strategy: strategy.key,
					scale,
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
			? detect(outcome.items, outcome.capped, polls, readyAt, scale)
			: { delaysMs: [], detected: 0, anomalies: 0 },
		replies: scenario.perKey
			? repliesSeen(outcome.items, (index) => scenario.delaysMs[index], polls, readyAt, scale)
			: undefined,
		scale,
		heapGrowthBytes,
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
		replies: runs[0].replies && runs.flatMap((run) => run.replies ?? []),
		heapGrowthBytes: middle((run) => run.heapGrowthBytes),
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
		scaleLarge: options.scaleLarge,
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
		loadAtStart: await settledLoad(LOAD_SETTLE_BOUND_MS, (load) =>
			progress(`Waiting for the load to fall to half the cores: ${load.text}`),
		),
	};
	const benchStart = wallNowMs();
	const host = EmulatorProcess.spawn();
	const results: RunResult[] = [];
	try {
		progress(
			`Blocks bench: emulated time ×${options.scale}, cap ${options.capMs / 1000} s emulated per run, ` +
				`seed ${options.seed}; ${settings.loadAtStart.text} at the start`,
		);
		await warmUp(host, options);
		for (const scenario of scenarios) {
			const items = itemsOf(scenario);
			for (const strategy of strategies.filter(
				(s) => !scenario.strategies || scenario.strategies.includes(s.key),
			)) {
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
	settings.loadAtEnd = loadAverage();
	progress(`${settings.loadAtEnd.text} at the end`);
	const targetLines = targets(results, scenarios, settings);
	const markdown = document(results, scenarios, settings, targetLines);
	mkdirSync(path.dirname(OUTPUT), { recursive: true });
	writeFileSync(OUTPUT, `${markdown}\n`);
	console.log(markdown);
	console.log(`\nWritten to ${path.relative(process.cwd(), OUTPUT) || OUTPUT}`);
	const published = path.relative(process.cwd(), PUBLISHED);
	if (busy(settings)) {
		console.log(
			`The machine was busy (${settings.loadAtStart.text} at the start, ${settings.loadAtEnd.text} at the end): ` +
				`the published figures in ${published} are left as they are.`,
		);
	} else if (!options.only && !options.strategies) {
		// A partial run would leave the published table short of scenarios or strategies.
		writeMarkdownSection(PUBLISHED, 'bench', `${PUBLISHED_INTRO}\n\n${markdown}`);
		console.log(`and to ${published}`);
	}
}

main().catch((error: Error) => {
	console.error(`Bench failed: ${error.stack ?? error.message}`);
	process.exitCode = 1;
});
