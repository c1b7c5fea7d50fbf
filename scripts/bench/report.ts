import type { Detection } from './measure';
import { clairvoyantMakespanMs, quantile } from './measure';
import { SHORT_REPLY_MS, type Scenario } from './scenarios';
import type { Strategy } from './strategies';

export interface RunResult {
	scenario: Scenario;
	strategy: Strategy;
	/** Emulated ms from the first request being started to the last item being settled. */
	wallMs: number;
	realMs: number;
	/** process.cpuUsage() delta, user + system, real ms. */
	cpuMs: number;
	requests: number;
	rateLimited: number;
	done: number;
	failed: number;
	unfinished: number;
	capped: boolean;
	detection: Detection;
	/** Distinct failure reasons with their counts. */
	failReasons: Map<string, number>;
	/** Runs pooled into this row (1 unless the scenario repeats). */
	runs?: number;
}

export interface ReportSettings {
	scale: number;
	capMs: number;
	seed: number;
	/** Requests per minute the node's budget allows itself (credential defaults). */
	nodeAllowance: number;
	apiLimit: number;
	command: string;
	machine: string;
	/** Which node code was measured. */
	version: string;
	startedAt: Date;
	totalRealMs?: number;
}

export interface Target {
	pass: boolean;
	text: string;
}

export const seconds = (ms: number | undefined, digits = 1) =>
	ms === undefined ? '—' : `${(ms / 1000).toFixed(digits)} s`;
export const ratio = (value: number | undefined, base: number | undefined) =>
	value === undefined || base === undefined || base === 0 ? '—' : `${(value / base).toFixed(2)}×`;

/** A Markdown table: a header row, its rule, then one row of cells per entry. */
export function markdownTable(header: string[], rows: string[][]): string {
	return [header, header.map(() => '---'), ...rows]
		.map((cells, index) => (index === 1 ? `|${cells.join('|')}|` : `| ${cells.join(' | ')} |`))
		.join('\n');
}

const median = (run: RunResult) => quantile(run.detection.delaysMs, 0.5);
const p95 = (run: RunResult) => quantile(run.detection.delaysMs, 0.95);

/**
 * The baseline a scenario compares the node against: among baselines that finished with no
 * failed item, the fastest; if none did, the one that got the most items through (then the
 * fastest), flagged as such.
 */
function bestBaseline(runs: RunResult[]): { run: RunResult; clean: boolean } | undefined {
	const baselines = runs.filter((run) => run.strategy.key !== 'node');
	const clean = baselines.filter((run) => !run.capped && run.failed === 0);
	if (clean.length > 0)
		return { run: [...clean].sort((a, b) => a.wallMs - b.wallMs)[0], clean: true };
	const sorted = [...baselines].sort((a, b) => b.done - a.done || a.wallMs - b.wallMs);
	return sorted[0] ? { run: sorted[0], clean: false } : undefined;
}

function wallCell(run: RunResult): string {
	return run.capped ? `≥ ${seconds(run.wallMs, 0)} (cap)` : seconds(run.wallMs);
}

function failedCell(run: RunResult): string {
	const total = run.done + run.failed + run.unfinished;
	if (!run.capped) return String(run.failed);
	const done = run.scenario.waitForReply ? run.detection.detected : run.done;
	return `${run.failed} · not finished: ${done}/${total} done at the cap`;
}

function comparisonCell(run: RunResult, runs: RunResult[]): string {
	const best = bestBaseline(runs);
	if (!best) return '';
	const caveat = best.run.capped
		? 'stopped at the cap'
		: best.run.failed > 0
			? `failed ${best.run.failed} of ${best.run.done + best.run.failed + best.run.unfinished}`
			: '';
	if (run.strategy.key !== 'node') {
		if (run !== best.run) return '';
		return caveat ? `best baseline (${caveat})` : 'best baseline';
	}
	// Against a baseline stopped at the cap, its wall time is a lower bound and its request count partial.
	const parts = [`wall ${best.run.capped ? '≤ ' : ''}${ratio(run.wallMs, best.run.wallMs)}`];
	if (run.scenario.waitForReply) parts.push(`p50 ${ratio(median(run), median(best.run))}`);
	if (!best.run.capped) parts.push(`req ${ratio(run.requests, best.run.requests)}`);
	return parts.join(' · ');
}

function table(results: RunResult[], scenarios: Scenario[]): string {
	const header = [
		'Scenario',
		'Strategy',
		'Wall time',
		'Requests',
		'429s',
		'Failed items',
		'Detection p50',
		'Detection p95',
		'CPU',
		'Node ÷ best baseline',
	];
	const rows: string[][] = [];
	for (const scenario of scenarios) {
		const runs = results.filter((run) => run.scenario === scenario);
		runs.forEach((run, index) => {
			rows.push([
				index === 0 ? scenario.label : '',
				run.strategy.label,
				wallCell(run),
				String(run.requests),
				String(run.rateLimited),
				failedCell(run),
				scenario.waitForReply ? seconds(median(run), 2) : '—',
				scenario.waitForReply ? seconds(p95(run), 2) : '—',
				`${Math.round(run.cpuMs)} ms`,
				comparisonCell(run, runs),
			]);
		});
	}
	return markdownTable(header, rows);
}

const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

export function targets(
	results: RunResult[],
	scenarios: Scenario[],
	settings: ReportSettings,
): Target[] {
	const out: Target[] = [];
	const nodeRun = (scenario: Scenario) =>
		results.find((run) => run.scenario === scenario && run.strategy.key === 'node');
	const quickStart = (scenario: Scenario) =>
		results.find((run) => run.scenario === scenario && run.strategy.key === 'quickstart');

	// 1. No 429s, no failed items, in every scenario.
	const perScenario = scenarios.map((scenario) => ({ scenario, run: nodeRun(scenario) }));
	const clean = perScenario.every(
		({ run }) => run && !run.capped && run.rateLimited === 0 && run.failed === 0,
	);
	out.push({
		pass: clean,
		text:
			`Node: zero 429s and zero failed items in every scenario — ` +
			perScenario
				.map(({ scenario, run }) =>
					run
						? `${scenario.label}: ${run.rateLimited} × 429, ${run.failed} failed${run.capped ? ', not finished' : ''}`
						: `${scenario.label}: not run`,
				)
				.join('; '),
	});

	// 2. Wall time for 20 and 100 sessions within 1.2 × (longest reply + what the budget forces).
	for (const scenario of scenarios.filter((s) => s.waitForReply && s.sessions > 1)) {
		const run = nodeRun(scenario);
		if (!run) continue;
		const longest = Math.max(...scenario.delaysMs);
		const ideal = clairvoyantMakespanMs(scenario.delaysMs, settings.nodeAllowance);
		const bound = 1.2 * ideal;
		const ok = !run.capped && run.failed === 0 && run.wallMs <= bound;
		out.push({
			pass: ok,
			text:
				`Node wall time, ${scenario.label}: ${seconds(run.wallMs)}${run.capped ? ' (not finished)' : ''} ` +
				`${run.wallMs <= bound ? '≤' : '>'} 1.2 × ${seconds(ideal)} = ${seconds(bound)} ` +
				`(longest reply ${seconds(longest)} + ${seconds(ideal - longest)} the budget forces at ` +
				`${settings.nodeAllowance} requests/min: a client that knew every reply time, sending the creates ` +
				`back to back, then one poll per session when its reply is ready)`,
		});
	}

	// 3. One session. A short reply: seen in at most 40 % of the quick-start loop's median delay.
	// A long one: seen no later than the loop sees it, with no more requests.
	for (const scenario of scenarios.filter((s) => s.waitForReply && s.sessions === 1)) {
		const run = nodeRun(scenario);
		const base = quickStart(scenario);
		if (!run || !base) continue;
		const short = Math.max(...scenario.delaysMs) < SHORT_REPLY_MS;
		const delayLimit = short ? 0.4 : 1;
		const nodeMedian = median(run);
		const baseMedian = median(base);
		const delayShare = nodeMedian !== undefined && baseMedian ? nodeMedian / baseMedian : undefined;
		const delayOk =
			nodeMedian !== undefined && baseMedian !== undefined && nodeMedian <= delayLimit * baseMedian;
		const requestsOk = short || run.requests <= base.requests;
		const requests = `requests ${run.requests} vs ${base.requests}`;
		out.push({
			pass: delayOk && requestsOk && run.failed === 0,
			text:
				`Node detection, ${scenario.label}: median ${seconds(nodeMedian, 2)} vs quick-start ${seconds(baseMedian, 2)} ` +
				`= ${delayShare === undefined ? '—' : `${Math.round(delayShare * 100)} %`} ` +
				`(target ≤ ${delayLimit * 100} %: ${pass(delayOk)}); ` +
				(short
					? `${requests} (not a target)`
					: `${requests} (target: no more: ${pass(requestsOk)})`),
		});
	}

	// 4. 500 creates at ≥ 90 % of the 100/min ceiling, none failed.
	for (const scenario of scenarios.filter((s) => !s.waitForReply)) {
		const run = nodeRun(scenario);
		if (!run) continue;
		const perMinute = (run.done / run.wallMs) * 60_000;
		const share = perMinute / settings.apiLimit;
		const fastest = Math.ceil(scenario.sessions / settings.apiLimit - 1) * 60_000;
		out.push({
			pass: !run.capped && run.failed === 0 && share >= 0.9,
			text:
				`Node, ${scenario.label}: ${run.done} created in ${seconds(run.wallMs)} = ${perMinute.toFixed(1)} creates/min = ` +
				`${Math.round(share * 100)} % of the ${settings.apiLimit}/min ceiling (target ≥ 90 %), ${run.failed} failed. ` +
				`(For reference: the emulator's sliding window admits ${scenario.sessions} creates in ${seconds(fastest, 0)} at best, ` +
				`${settings.apiLimit} at once then ${settings.apiLimit} a minute; the node keeps ${100 - settings.nodeAllowance} % ` +
				`of the limit in reserve by default, so its steady pace is ${settings.nodeAllowance}/min.)`,
		});
	}
	return out;
}

export function document(
	results: RunResult[],
	scenarios: Scenario[],
	settings: ReportSettings,
	targetLines: Target[],
): string {
	const realPerMinute = 60 / settings.scale;
	const capReal = settings.capMs / settings.scale / 1000;
	const head = [
		`Command: \`${settings.command}\` · ${settings.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC · ` +
			`${settings.machine} · ${settings.version}`,
		'',
		`Against the local Blocks API emulator (own process, rate limit ${settings.apiLimit} requests/min per key, ` +
			`sliding window, no Retry-After header) with emulated time ×${settings.scale}: one emulated minute takes ` +
			`${realPerMinute.toFixed(1)} s. Times are emulated unless marked CPU. Reply times are drawn from seed ` +
			`${settings.seed}. Each run is capped at ${seconds(settings.capMs, 0)} emulated (${capReal.toFixed(0)} s real).` +
			(settings.totalRealMs
				? ` The whole bench took ${(settings.totalRealMs / 1000).toFixed(0)} s real.`
				: ''),
		'',
	];
	const targetText = targetLines.map((target) => `- **${pass(target.pass)}** ${target.text}`);
	return [
		...head,
		table(results, scenarios),
		'',
		'### Targets',
		'',
		...targetText,
		'',
		...notes(settings),
	].join('\n');
}

function notes(settings: ReportSettings): string[] {
	return [
		'### How it is measured',
		'',
		"- **This node**: a workflow run through n8n's execution engine (n8n-core `WorkflowExecute`): Start with N items → " +
			'Blocks *Create Session* with *Wait for Reply* on (Poll Interval 5 s, Max Wait 3600 s, other settings and the ' +
			`credential at their defaults: ${settings.apiLimit} requests/min, 10 % reserved), or off for the 500 creates. ` +
			"The node's waits, retries and rate budget run on the emulated clock (`replaceClock`), whose origin is read " +
			"from the emulator's own clock when each run starts. *On Error: Continue* is set only so failed items are " +
			'counted one by one.',
		'- **Quick-start loop (Code node)**: create every session in a plain loop, then GET every pending ' +
			'`_links.final_message.href` at once, every 5 s, until each answers; any non-2xx answer fails that item ' +
			'(no retry, as a plain `fetch` loop does).',
		'- **n8n loop (HTTP Request + Wait + IF)**: items one after another: create, then GET → IF (reply?) → Wait 5 s → ' +
			'GET …; a non-2xx answer fails the item and the loop goes on with the next one. For the 500 creates both ' +
			'baselines create in the same plain loop.',
		"- **1-session rows**: each is 5 runs (a fresh emulator each, the node's jitter seeded differently each time): " +
			"wall time, requests and CPU are the median run's, 429s and failed items are summed, the detection " +
			'percentiles are over the 5 replies.',
		"- **Wall time**: from the run's first request being started to its last item settling (for the node: the " +
			'whole engine run).',
		'- **Requests / 429s**: counted by the emulator (its request log), 429s included in requests.',
		'- **Detection delay**: from the moment the emulator stored the reply (`threadState().readyAtMs`) to the arrival ' +
			'at the emulator of the poll that returned it (every strategy stops polling a thread once it has the reply, ' +
			"so that is the thread's last poll answered 200), converted to emulated seconds. The same ruler for all " +
			'three strategies. It is when the strategy learns of the reply, not when the item leaves it: the node and the ' +
			'Code node hand their items on when their run ends; the loop pattern hands on each item as it is found. ' +
			'Percentiles interpolate linearly between order statistics.',
		'- **CPU**: `process.cpuUsage()` delta of the bench process over the run (the client only: the emulator runs in ' +
			'a child process).',
		"- **Node ÷ best baseline**: the node's wall time, median detection delay and requests divided by those of the " +
			'best baseline: the fastest one that finished without failed items, or else the one that got the most ' +
			'items through.',
		`- **Time scale**: the emulator divides agent delays and its one-minute window by ${settings.scale}; the node and ` +
			'the baselines sleep ms/scale real milliseconds on a clock that agrees with it. The emulator sends no ' +
			'Retry-After: it would state real seconds, which a client on the scaled clock reads as emulated seconds. ' +
			`Client-side work is not scaled: 1 ms of CPU in the bench process counts as ${settings.scale} ms emulated, ` +
			"which weighs more on the node (n8n's engine and HTTP stack) than on the plain fetch loops; a lower " +
			'`--scale` is closer to real time and slower to run.',
		'- **Single replies off the 5 s grid**: the baselines poll every 5 s from the create, so a reply at a multiple ' +
			'of 5 s is seen at once by them and one just after waits 5 s. The single-session replies (3.3 s and 42.3 s) ' +
			'fall between their polls, as replies do; a reply on the grid would measure the grid, not the node. ' +
			`Targets: a reply under ${SHORT_REPLY_MS / 1000} s is seen in at most 40 % of the quick-start loop's median ` +
			'delay; a longer one no later than the loop sees it, with no more requests.',
	];
}
