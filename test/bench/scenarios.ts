import { SeededRandom, seedFor } from './prng';
import type { BenchItem, Strategy } from './strategies';

/** Replies sooner than this count as short: the node must see them much sooner than a 5 s loop. */
export const SHORT_REPLY_MS = 10_000;

export interface Scenario {
	key: string;
	label: string;
	waitForReply: boolean;
	/** Each session's reply time (emulated ms after its create); empty when not waiting. */
	delaysMs: number[];
	sessions: number;
	/** Runs per strategy; a single session is run several times so one lucky poll does not decide. */
	repeat: number;
	/**
	 * Waits per key: the sessions are split into groups of this many, each run on a key of its
	 * own, all at once (a node run each, or a loop each). Undefined: one key for all.
	 */
	perKey?: number;
	/** The strategies this scenario compares (default: all). */
	strategies?: Array<Strategy['key']>;
}

interface ScenarioSpec {
	key: string;
	label: string;
	sessions: number;
	/**
	 * Fixed reply time, a range the seeded generator spreads replies over (uniform), or a range
	 * spread evenly on a log scale (as likely between 2 and 10 s as between 20 and 100 s).
	 */
	replyMs?: number | [number, number] | { logFrom: number; to: number };
	/** Draw the reply times from this stream instead of the scenario's own. */
	replySeed?: string;
	repeat?: number;
	perKey?: number;
	strategies?: Array<Strategy['key']>;
}

/**
 * Single waits over a spread of reply times, from 2 s to 10 min. The same 24 times (drawn once
 * from the seed, in emulated ms, so none sits on the baselines' 5 s grid but by chance) are
 * waited on alone, each on a key of its own, and as 4 waits of one node run, a key per run.
 */
const SPREAD_MS = { logFrom: 2_000, to: 600_000 };
const SPREAD_SIZE = 24;

const SPECS: ScenarioSpec[] = [
	// Single replies fall between the baselines' 5 s polls: one on their grid (40 s exactly)
	// would measure how well the grid happens to fit, not the node.
	{
		key: 'spread-alone',
		label: `${SPREAD_SIZE} single waits, replies over 2 s–10 min, each alone on its key`,
		sessions: SPREAD_SIZE,
		replyMs: SPREAD_MS,
		replySeed: 'spread',
		perKey: 1,
		strategies: ['node', 'quickstart'],
	},
	{
		key: 'spread-4',
		label: `The same ${SPREAD_SIZE} replies as 4 waits of one node run (a key per run)`,
		sessions: SPREAD_SIZE,
		replyMs: SPREAD_MS,
		replySeed: 'spread',
		perKey: 4,
		strategies: ['node', 'quickstart'],
	},
	{
		key: 'many-20',
		label: '20 sessions, replies over 10–60 s',
		sessions: 20,
		replyMs: [10_000, 60_000],
	},
	{
		key: 'many-100',
		label: '100 sessions, replies over 30–120 s',
		sessions: 100,
		replyMs: [30_000, 120_000],
	},
	{
		key: 'many-1000',
		label: '1,000 sessions, replies over 30–120 s',
		sessions: 1_000,
		replyMs: [30_000, 120_000],
		strategies: ['node'],
	},
	{ key: 'create-500', label: '500 creates, no wait', sessions: 500 },
];

function drawReplyMs(spec: ScenarioSpec, random: SeededRandom): number {
	const reply = spec.replyMs as NonNullable<ScenarioSpec['replyMs']>;
	if (typeof reply === 'number') return reply;
	if (Array.isArray(reply)) return Math.round(random.uniform(reply[0], reply[1]));
	return Math.round(reply.logFrom * (reply.to / reply.logFrom) ** random.next());
}

export function scenarios(seed: number): Scenario[] {
	return SPECS.map((spec) => {
		const random = new SeededRandom(seedFor(seed, spec.replySeed ?? spec.key));
		const delaysMs =
			spec.replyMs === undefined
				? []
				: Array.from({ length: spec.sessions }, () => drawReplyMs(spec, random));
		return {
			key: spec.key,
			label: spec.label,
			sessions: spec.sessions,
			waitForReply: spec.replyMs !== undefined,
			delaysMs,
			repeat: spec.repeat ?? 1,
			perKey: spec.perKey,
			strategies: spec.strategies,
		};
	});
}

/** The items a run starts with; the message carries the reply time to the scripted agent. */
export function itemsOf(scenario: Scenario): BenchItem[] {
	return Array.from({ length: scenario.sessions }, (_, index) => ({
		message:
			`Bench ${scenario.key}, item ${index + 1} of ${scenario.sessions}` +
			(scenario.waitForReply ? ` (delay_ms=${scenario.delaysMs[index]})` : ''),
	}));
}
