import { SeededRandom, seedFor } from './prng';
import type { BenchItem } from './strategies';

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
}

interface ScenarioSpec {
	key: string;
	label: string;
	sessions: number;
	/** Fixed reply time, or a range the seeded generator spreads replies over (uniform). */
	replyMs?: number | [number, number];
	repeat?: number;
}

const SPECS: ScenarioSpec[] = [
	// Single replies fall between the baselines' 5 s polls: one on their grid (40 s exactly)
	// would measure how well the grid happens to fit, not the node.
	{
		key: 'one-short',
		label: '1 session, reply after 3.3 s (5 runs)',
		sessions: 1,
		replyMs: 3_300,
		repeat: 5,
	},
	{
		key: 'one-long',
		label: '1 session, reply after 42.3 s (5 runs)',
		sessions: 1,
		replyMs: 42_300,
		repeat: 5,
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
	{ key: 'create-500', label: '500 creates, no wait', sessions: 500 },
];

export function scenarios(seed: number): Scenario[] {
	return SPECS.map((spec) => {
		const random = new SeededRandom(seedFor(seed, spec.key));
		const reply = spec.replyMs;
		const delaysMs =
			reply === undefined
				? []
				: Array.from({ length: spec.sessions }, () =>
						typeof reply === 'number' ? reply : Math.round(random.uniform(reply[0], reply[1])),
					);
		return {
			key: spec.key,
			label: spec.label,
			sessions: spec.sessions,
			waitForReply: reply !== undefined,
			delaysMs,
			repeat: spec.repeat ?? 1,
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
