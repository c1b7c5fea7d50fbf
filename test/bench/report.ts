import type { Detection, ReplySeen } from './measure';
import { clairvoyantMakespanMs, quantile } from './measure';
import type { Load } from './runInfo';
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
	/** For spreads of single waits: each reply on its own. */
	replies?: ReplySeen[];
	/** The time scale the run ran at. */
	scale: number;
	/** Peak heap during the run less the heap at its start, bytes. */
	heapGrowthBytes: number;
	/** Distinct failure reasons with their counts. */
	failReasons: Map<string, number>;
	/** Runs pooled into this row (1 unless the scenario repeats). */
	runs?: number;
}

export interface ReportSettings {
	scale: number;
	/** The 1,000-wait scenario's own scale, when it has one. */
	scaleLarge?: number;
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
	loadAtStart: Load;
	loadAtEnd?: Load;
}

/** Whether the machine was busy at the start or the end of the run: its figures are not the result. */
export function busy(settings: ReportSettings): boolean {
	return settings.loadAtStart.busy || settings.loadAtEnd?.busy === true;
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
	for (const scenario of scenarios.filter((s) => !isSpread(s))) {
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

const isSpread = (scenario: Scenario) => scenario.perKey !== undefined;

/** A spread's replies under 10 s, and from 10 s on: the two the targets speak of. */
const REPLY_GROUPS = [
	{ label: `under ${SHORT_REPLY_MS / 1000} s`, short: true },
	{ label: `${SHORT_REPLY_MS / 1000} s to 10 min`, short: false },
];

interface GroupFigures {
	replies: number;
	meanMs: number | undefined;
	p95Ms: number | undefined;
	requestsPerReply: number | undefined;
}

function groupFigures(run: RunResult | undefined, short: boolean): GroupFigures {
	const replies = (run?.replies ?? []).filter((reply) => reply.replyMs < SHORT_REPLY_MS === short);
	const delays = replies.map((reply) => reply.delayMs);
	const mean = (values: number[]) =>
		values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : undefined;
	return {
		replies: replies.length,
		meanMs: mean(delays),
		p95Ms: quantile(delays, 0.95),
		requestsPerReply: mean(replies.map((reply) => reply.requests)),
	};
}

function spreadTable(results: RunResult[], scenarios: Scenario[]): string {
	const rows: string[][] = [];
	for (const scenario of scenarios.filter(isSpread)) {
		const runs = results.filter((run) => run.scenario === scenario);
		const loop = runs.find((run) => run.strategy.key === 'quickstart');
		for (const run of runs) {
			for (const group of REPLY_GROUPS) {
				const figures = groupFigures(run, group.short);
				const base = groupFigures(loop, group.short);
				rows.push([
					scenario.label,
					run.strategy.label,
					group.label,
					String(figures.replies),
					seconds(figures.meanMs, 2),
					seconds(figures.p95Ms, 2),
					figures.requestsPerReply === undefined ? '—' : figures.requestsPerReply.toFixed(1),
					run === loop
						? ''
						: `mean ${ratio(figures.meanMs, base.meanMs)} · req ${ratio(figures.requestsPerReply, base.requestsPerReply)}`,
				]);
			}
		}
	}
	// Only the first row of a scenario names it.
	for (let index = rows.length - 1; index > 0; index--) {
		if (rows[index][0] === rows[index - 1][0]) rows[index][0] = '';
	}
	return markdownTable(
		[
			'Spread',
			'Strategy',
			'Replies',
			'Count',
			'Detection mean',
			'Detection p95',
			'Requests per reply',
			'Node ÷ quick-start',
		],
		rows,
	);
}

const perWait = (run: RunResult) => run.scenario.sessions;
const cpuPerWaitMs = (run: RunResult) => run.cpuMs / perWait(run);
const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The node's batches of waits in one process, side by side: what a wait costs as they grow. */
function scaleTable(results: RunResult[], settings: ReportSettings): string {
	const rows = results
		.filter((run) => run.strategy.key === 'node' && run.scenario.waitForReply)
		.filter((run) => !isSpread(run.scenario) && run.scenario.sessions >= 100)
		.map((run) => {
			const bound = clairvoyantMakespanMs(run.scenario.delaysMs, settings.nodeAllowance);
			return [
				run.scenario.label,
				`×${run.scale}`,
				wallCell(run),
				seconds(bound),
				ratio(run.wallMs, bound),
				String(run.rateLimited),
				String(run.failed + run.unfinished),
				`${Math.round(run.cpuMs)} ms`,
				`${cpuPerWaitMs(run).toFixed(2)} ms`,
				kilobytes(run.heapGrowthBytes / perWait(run)),
			];
		});
	return markdownTable(
		[
			'Waits in one process',
			'Time scale',
			'Wall time',
			'Bound the budget forces',
			'Wall ÷ bound',
			'429s',
			'Failed',
			'CPU',
			'CPU per wait',
			'Heap growth per wait',
		],
		rows,
	);
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

	// 2. Wall time within 1.2 × what the budget forces (1.1 × for 1,000 waits in one process).
	for (const scenario of scenarios.filter((s) => s.waitForReply && !isSpread(s))) {
		const run = nodeRun(scenario);
		if (!run || scenario.sessions < 2) continue;
		const factor = scenario.sessions >= 1_000 ? 1.1 : 1.2;
		const longest = Math.max(...scenario.delaysMs);
		const ideal = clairvoyantMakespanMs(scenario.delaysMs, settings.nodeAllowance);
		const bound = factor * ideal;
		const ok = !run.capped && run.failed === 0 && run.wallMs <= bound;
		out.push({
			pass: ok,
			text:
				`Node wall time, ${scenario.label}: ${seconds(run.wallMs)}${run.capped ? ' (not finished)' : ''} ` +
				`${run.wallMs <= bound ? '≤' : '>'} ${factor} × ${seconds(ideal)} = ${seconds(bound)} ` +
				`(longest reply ${seconds(longest)} + ${seconds(ideal - longest)} the budget forces at ` +
				`${settings.nodeAllowance} requests/min: a client that knew every reply time, sending the creates ` +
				`back to back, then one poll per session when its reply is ready)`,
		});
	}

	// 3. Spreads of single waits. Replies under 10 s: seen in at most 40 % of the quick-start
	// loop's mean delay, with at most 3× its requests; from 10 s on: no later than the loop on
	// average, with no more requests.
	for (const scenario of scenarios.filter(isSpread)) {
		const run = nodeRun(scenario);
		const base = quickStart(scenario);
		if (!run || !base) continue;
		for (const group of REPLY_GROUPS) {
			const node = groupFigures(run, group.short);
			const loop = groupFigures(base, group.short);
			const [delayLimit, requestLimit] = group.short ? [0.4, 3] : [1, 1];
			const within = (value: number | undefined, of: number | undefined, limit: number) =>
				value !== undefined && of !== undefined && value <= limit * of;
			const delayOk = within(node.meanMs, loop.meanMs, delayLimit);
			const requestsOk = within(node.requestsPerReply, loop.requestsPerReply, requestLimit);
			const share = (value: number | undefined, of: number | undefined) =>
				value === undefined || !of ? '—' : `${Math.round((100 * value) / of)} %`;
			out.push({
				pass: delayOk && requestsOk && run.failed === 0 && node.replies === loop.replies,
				text:
					`Node detection, ${scenario.label}, replies ${group.label} (${node.replies} of them): ` +
					`mean ${seconds(node.meanMs, 2)} vs quick-start ${seconds(loop.meanMs, 2)} = ${share(node.meanMs, loop.meanMs)} ` +
					`(target ≤ ${delayLimit * 100} %: ${pass(delayOk)}); requests per reply ` +
					`${node.requestsPerReply?.toFixed(1) ?? '—'} vs ${loop.requestsPerReply?.toFixed(1) ?? '—'} = ` +
					`${share(node.requestsPerReply, loop.requestsPerReply)} (target ≤ ${requestLimit * 100} %: ${pass(requestsOk)})`,
			});
		}
	}

	// 4. The cost of a wait does not grow with their number: CPU per wait at 1,000 waits in one
	// process within 1.2× of that at 100.
	const hundred = results.find(
		(run) =>
			run.strategy.key === 'node' && run.scenario.sessions === 100 && !isSpread(run.scenario),
	);
	const thousand = results.find(
		(run) => run.strategy.key === 'node' && run.scenario.sessions === 1_000,
	);
	if (hundred && thousand) {
		const growth = cpuPerWaitMs(thousand) / cpuPerWaitMs(hundred);
		out.push({
			pass: growth <= 1.2 && !thousand.capped,
			text:
				`Node CPU per wait: ${cpuPerWaitMs(thousand).toFixed(2)} ms at 1,000 waits vs ` +
				`${cpuPerWaitMs(hundred).toFixed(2)} ms at 100 = ${growth.toFixed(2)}× (target ≤ 1.2×); heap growth ` +
				`${kilobytes(thousand.heapGrowthBytes / perWait(thousand))} per wait at 1,000, ` +
				`${kilobytes(hundred.heapGrowthBytes / perWait(hundred))} at 100 (reported, not a target)`,
		});
	}

	// 5. 500 creates at ≥ 90 % of the 100/min ceiling, none failed.
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
			`${settings.seed}. Each run is capped at ${seconds(settings.capMs, 0)} emulated (${capReal.toFixed(0)} s real), ` +
			'or at twice the bound the budget forces when that is longer.' +
			(settings.scaleLarge && settings.scaleLarge !== settings.scale
				? ` The 1,000-wait row runs at ×${settings.scaleLarge}, to keep the bench short.`
				: '') +
			(settings.totalRealMs
				? ` The whole bench took ${(settings.totalRealMs / 1000).toFixed(0)} s real.`
				: ''),
		'',
		`Machine: ${settings.loadAtStart.text} at the start, ${settings.loadAtEnd?.text ?? 'not read'} at the end.` +
			(busy(settings)
				? ' **The machine was busy (load above half its cores): other work competed for the CPU, and ' +
					'client CPU time counts ×scale in emulated time, so these figures are not the result. Run ' +
					'again on a quiet machine.**'
				: ''),
		'',
	];
	const targetText = targetLines.map((target) => `- **${pass(target.pass)}** ${target.text}`);
	return [
		...head,
		table(results, scenarios),
		'',
		'### Single waits over a spread of reply times',
		'',
		spreadTable(results, scenarios),
		'',
		'### Waits in one process',
		'',
		scaleTable(results, settings),
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
		'- **Spreads of single waits**: 24 reply times drawn once from the seed, spread evenly on a log scale from ' +
			'2 s to 10 min (as many between 2 and 10 s as between 20 and 100 s). Alone: 24 node runs (or 24 loops) side ' +
			'by side, each of one item on a key of its own. 4 waits of one node run: 6 node runs of 4 items (or 6 loops ' +
			"of 4 sessions), a key each. The runs start 5 s (emulated) apart, so their starts do not hold up each other's " +
			"first polls. *Requests per reply*: the create and every poll of the reply's thread. " +
			'The targets compare the node with the quick-start loop on the same replies: under 10 s, a mean ' +
			"detection delay of at most 40 % of the loop's with at most 3× its requests; from 10 s to 10 min, a mean " +
			"no later than the loop's with no more requests.\n" +
			'- **Waits in one process**: the node alone (the baselines cannot get 1,000 waits through one key). CPU is ' +
			"the bench process's (the node and n8n's engine); heap growth is the peak heap during the run, sampled " +
			'every 100 ms, less the heap after a collection at its start, divided by the waits.',
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
			"of 5 s is seen at once by them and one just after waits 5 s. The spread's reply times are drawn in " +
			"milliseconds, so they fall anywhere between the baselines' polls, as replies do.",
		'- **Busy machine**: the bench reads the 1-minute load average at its start and end. Above half the cores, ' +
			'other work competed for the CPU; the output says so and the published figures are not overwritten.',
	];
}
