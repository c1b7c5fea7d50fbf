import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { MessagePage } from '../helpers/apiTypes';
import { clock } from '../time';
import { blocksApiRequest, connectionOf, type Connection } from '../transport';
import { isTransient } from '../transport/errors';
import { apiUrl, type ReplyLink } from '../transport/urls';
import { FIRST_ROUND, planWait, type WaitHistory, type WaitPlan } from './plan';
import { firstPollDelayMs, nextPollDelayMs } from './pollSchedule';
import type { WaitOutcome } from './outcome';
import { progressStreamFor, type ProgressStream } from './progress';
import type { WaitSettings } from './settings';
import { isAgentItemOnThread, RefusedRepliesLog } from './thread';
import { asNodeError, gaveUpError, stoppedWhileWorkingError, timedOutError } from './waitErrors';

export interface WaitOptions {
	/** Right after a send the reply cannot be there yet: the first poll then waits one step. */
	justSent?: boolean;
	/** Earlier rounds on the same turn, read from the input item. */
	history?: WaitHistory;
}

/**
 * Polls a thread until its final assistant message appears (the only "done" signal,
 * docs/blocks-api.md §2), the wait runs out of time (plan.ts), or the execution is cancelled;
 * with a Max Wait of 0 (Check Once), polls once and answers at once.
 * Polls follow pollSchedule.ts and draw from the key's budget; the last sleep is cut short so
 * the last poll lands on the deadline.
 */
export async function waitForReply(
	this: IExecuteFunctions,
	link: ReplyLink,
	settings: WaitSettings,
	itemIndex: number,
	signal: AbortSignal,
	{ justSent = false, history = FIRST_ROUND }: WaitOptions = {},
): Promise<WaitOutcome> {
	const plan = planWait(this, settings, history);
	const connection = await connectionOf(this);
	const replyUrl = apiUrl(connection.baseUrl, link.path, link.query);
	const doneWaiting = connection.budget.registerWait();
	// When the execution streams its response, each poll also streams the agent's progress.
	const progress = progressStreamFor(this, itemIndex, link, settings.streamProgress);
	let polls = 0;
	const refused = new RefusedRepliesLog(link.threadId);

	const outcome = (finalMessage: IDataObject | null): WaitOutcome => {
		const now = clock().now();
		const waited = now - plan.startedAt;
		const refusedReplies = finalMessage ? undefined : refused.summary();
		return {
			status: finalMessage ? 'replied' : 'timed_out',
			reply: finalMessage ? String(finalMessage.message ?? '') : null,
			session_id: link.sessionId,
			thread_id: link.threadId,
			reply_url: replyUrl,
			final_message: finalMessage,
			waited_ms: waited,
			polls,
			rounds: history.rounds + 1,
			waited_ms_total: now - plan.waitingSince,
			waiting_since: new Date(plan.waitingSince).toISOString(),
			...(refusedReplies ? { refused_replies: refusedReplies } : {}),
		};
	};

	// The schedule runs on the time the turn has been waited on, earlier rounds included: a long
	// turn waited in a loop does not start over with quick polls each round.
	const nextDelay = () =>
		nextPollDelayMs(
			history.waitedMsTotal + clock().now() - plan.startedAt,
			settings.pollIntervalMs,
			connection.budget.fairPollIntervalMs(),
			clock().random,
		);
	try {
		const firstDelay = firstPollDelayMs(
			justSent,
			settings.pollIntervalMs,
			connection.budget.fairPollIntervalMs(),
			clock().random,
		);
		// A check-once wait (Max Wait 0) has no time to sleep in: it polls once, at once.
		const firstSleep = Math.min(firstDelay, Math.max(0, plan.deadline - clock().now()));
		if (firstSleep > 0) await clock().sleep(firstSleep, signal);
		for (;;) {
			polls++;
			const finalMessage = await pollOnce.call(
				this,
				link,
				connection,
				itemIndex,
				signal,
				plan,
				refused,
				progress,
			);
			if (finalMessage) return outcome(finalMessage);

			const left = plan.deadline - clock().now();
			if (left <= 0) break;
			await clock().sleep(Math.min(nextDelay(), left), signal);
		}
	} catch (error) {
		// n8n stopped the execution (cancel, time limit, shutdown): the turn goes on in Blocks.
		const nodeError = signal.aborted
			? stoppedWhileWorkingError(this.getNode(), itemIndex, replyUrl, justSent)
			: asNodeError(this.getNode(), error, itemIndex);
		throw nodeError;
	} finally {
		doneWaiting();
		await progress?.end();
	}

	const timedOut = outcome(null);
	if (plan.endsBy === 'giveUp') throw gaveUpError(this.getNode(), itemIndex, timedOut, settings);
	if (settings.onTimeout !== 'error') return timedOut;
	throw timedOutError(this.getNode(), itemIndex, timedOut, plan);
}

/**
 * One look at the thread. A poll that fails for a passing reason (429, 5xx, a dropped
 * connection, no budget slot before the deadline) counts as "no reply yet": the wait goes on
 * until its deadline, so a busy key or a flaky network never loses a reply that arrives in time.
 */
async function pollOnce(
	this: IExecuteFunctions,
	link: ReplyLink,
	connection: Connection,
	itemIndex: number,
	signal: AbortSignal,
	plan: WaitPlan,
	refused: RefusedRepliesLog,
	progress?: ProgressStream,
): Promise<IDataObject | undefined> {
	try {
		const page = (await blocksApiRequest.call(this, {
			method: 'GET',
			path: link.path,
			// A poll at the deadline is the wait's last: it asks for the reply itself.
			query: progress ? progress.query(clock().now() >= plan.deadline) : link.query,
			retry: 'idempotent',
			itemIndex,
			signal,
			connection,
			// Retries stop at the deadline; the request then in flight may add one time-out, unless
			// the execution's time limit is near, which no request may outlast.
			retryUntil: plan.deadline,
			endBy: plan.requestsEndBy,
		})) as MessagePage;
		refused.note(page.items);
		return progress ? await progress.take(page) : findFinalMessage(page, link.threadId);
	} catch (error) {
		if (isTransient(error) && !signal.aborted) return undefined;
		const nodeError = asNodeError(this.getNode(), error, itemIndex);
		throw nodeError;
	}
}

/** The agent's final reply on the awaited thread, if the page holds it. */
function findFinalMessage(page: MessagePage, threadId: string): IDataObject | undefined {
	const items = Array.isArray(page.items) ? page.items : [];
	return items.find((item) => item.type === 'final_message' && isAgentItemOnThread(item, threadId));
}
