import type { IExecuteFunctions } from 'n8n-workflow';

import { clock } from '../time';
import { executionEndsAt } from '../host/executionLimit';
import type { WaitSettings } from './settings';

/** What earlier rounds of a loop waited, carried on the item from one round to the next. */
export interface WaitHistory {
	rounds: number;
	waitedMsTotal: number;
	/**
	 * When the first round began (the item's `waiting_since`). Give Up After counts from it, so
	 * the time an item spends parked between rounds counts too: without it, a loop of check-once
	 * rounds, each a moment long, would never give up. An item of an older version, without it,
	 * counts as having begun `waitedMsTotal` before this round.
	 */
	waitingSince?: number;
}

export const FIRST_ROUND: WaitHistory = { rounds: 0, waitedMsTotal: 0 };

/** One round of waiting: when it must end, and which limit ends it. */
export interface WaitPlan {
	startedAt: number;
	deadline: number;
	/** The limit the deadline comes from, which decides what the end of the wait says. */
	endsBy: 'maxWait' | 'giveUp' | 'timeLimit';
	/** When the execution's time limit is known: no request may run past this. */
	requestsEndBy?: number;
	history: WaitHistory;
	/** When the turn's first round began: this round's start, or the history's. */
	waitingSince: number;
}

/** Time kept free before a known execution time limit: a fifth of what is left, at most 10 s. */
const MAX_MARGIN_MS = 10_000;
const MARGIN_SHARE = 0.2;

/**
 * The deadline of a wait that starts now: its Max Wait, cut to what Give Up After leaves of the
 * loop's total, and to a margin before the execution's known time limit, so that the wait ends
 * with its resumable outcome rather than being stopped by n8n. Of limits that fall together,
 * Max Wait wins (a round that lasts its Max Wait has timed out, even when that also makes the
 * loop's total: the next round gives up), then Give Up After, then the time limit: each says
 * what the user should do next.
 */
export function planWait(
	context: IExecuteFunctions,
	settings: WaitSettings,
	history: WaitHistory = FIRST_ROUND,
	startedAt: number = clock().now(),
): WaitPlan {
	const waitingSince = Math.min(
		startedAt,
		history.waitingSince ?? startedAt - history.waitedMsTotal,
	);
	const giveUpAt = waitingSince + settings.giveUpAfterMs;
	const maxWait: [WaitPlan['endsBy'], number] = ['maxWait', startedAt + settings.maxWaitMs];
	const giveUp: [WaitPlan['endsBy'], number] = ['giveUp', Math.max(startedAt, giveUpAt)];
	// A round that starts past Give Up After gives up: a Check Once round (Max Wait 0) would
	// otherwise always tie with it, and win.
	const candidates = giveUpAt <= startedAt ? [giveUp, maxWait] : [maxWait, giveUp];
	const limit = executionEndsAt(context, startedAt);
	let requestsEndBy: number | undefined;
	if (limit !== undefined) {
		const margin = Math.min(MAX_MARGIN_MS, MARGIN_SHARE * Math.max(0, limit - startedAt));
		candidates.push(['timeLimit', Math.max(startedAt, limit - margin)]);
		requestsEndBy = Math.max(startedAt, limit - margin / 2);
	}
	const [endsBy, deadline] = candidates.reduce((soonest, next) =>
		next[1] < soonest[1] ? next : soonest,
	);
	return { startedAt, deadline, endsBy, requestsEndBy, history, waitingSince };
}
