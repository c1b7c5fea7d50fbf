import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { MessagePage } from '../helpers/apiTypes';
import { clock } from '../time';
import { blocksApiRequest, connectionOf, type Connection } from '../transport';
import { isTransient } from '../transport/errors';
import { apiUrl, type ReplyLink } from '../transport/urls';
import { nextPollDelayMs } from './pollSchedule';
import { waitDeadline, type WaitSettings } from './settings';

/** The one item every wait emits (documented in the README). */
export interface WaitOutcome extends IDataObject {
	status: 'replied' | 'timed_out';
	reply: string | null;
	session_id: string;
	thread_id: string;
	reply_url: string;
	final_message: IDataObject | null;
	waited_ms: number;
	polls: number;
}

/**
 * Polls a thread until its final assistant message appears (the only "done" signal, docs/blocks-api.md
 * §2), the wait runs out of time, or the execution is cancelled. Polls follow pollSchedule.ts
 * and draw from the key's budget; the last sleep is cut short so the last poll lands on the
 * deadline.
 */
export async function waitForReply(
	this: IExecuteFunctions,
	link: ReplyLink,
	settings: WaitSettings,
	itemIndex: number,
	signal: AbortSignal,
	/** Right after a send the reply cannot be there yet: the first poll then waits one step. */
	{ justSent = false }: { justSent?: boolean } = {},
): Promise<WaitOutcome> {
	const started = clock().now();
	const deadline = waitDeadline(settings, started);
	const connection = await connectionOf(this);
	const replyUrl = apiUrl(connection.baseUrl, link.path, link.query);
	const doneWaiting = connection.budget.registerWait();
	let polls = 0;

	const outcome = (finalMessage: IDataObject | null): WaitOutcome => ({
		status: finalMessage ? 'replied' : 'timed_out',
		reply: finalMessage ? String(finalMessage.message ?? '') : null,
		session_id: link.sessionId,
		thread_id: link.threadId,
		reply_url: replyUrl,
		final_message: finalMessage,
		waited_ms: clock().now() - started,
		polls,
	});

	const nextDelay = () =>
		nextPollDelayMs(
			polls,
			settings.pollIntervalMs,
			connection.budget.fairPollIntervalMs(),
			clock().random,
		);
	try {
		if (justSent) await clock().sleep(Math.min(nextDelay(), settings.maxWaitMs), signal);
		for (;;) {
			polls++;
			const finalMessage = await pollOnce.call(this, link, connection, itemIndex, signal, deadline);
			if (finalMessage) return outcome(finalMessage);

			const left = deadline - clock().now();
			if (left <= 0) break;
			await clock().sleep(Math.min(nextDelay(), left), signal);
		}
	} finally {
		doneWaiting();
	}

	if (settings.onTimeout === 'output') return outcome(null);
	throw new NodeOperationError(
		this.getNode(),
		`No reply within ${Math.round(settings.maxWaitMs / 1000)} seconds`,
		{
			itemIndex,
			description: `The agent may still be working: the turn was not cancelled. Wait again later with the reply URL ${replyUrl}, or set "On Timeout" to "Output Item" to continue the workflow instead of failing.`,
		},
	);
}

/**
 * One look at the thread. A poll that fails for a passing reason (429, 5xx, a dropped
 * connection) counts as "no reply yet": the wait goes on until its deadline, so a busy key or a
 * flaky network never loses a reply that arrives in time.
 */
async function pollOnce(
	this: IExecuteFunctions,
	link: ReplyLink,
	connection: Connection,
	itemIndex: number,
	signal: AbortSignal,
	deadline: number,
): Promise<IDataObject | undefined> {
	try {
		const page = (await blocksApiRequest.call(this, {
			method: 'GET',
			path: link.path,
			query: link.query,
			retry: 'idempotent',
			itemIndex,
			signal,
			connection,
			// Retries stop at the deadline; the request then in flight may add one time-out.
			retryUntil: deadline,
		})) as MessagePage;
		return findFinalMessage(page);
	} catch (error) {
		if (isTransient(error) && !signal.aborted) return undefined;
		const nodeError =
			error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
		throw nodeError;
	}
}

/** The thread's final assistant reply, checked on the items themselves rather than the filter. */
function findFinalMessage(page: MessagePage): IDataObject | undefined {
	const items = Array.isArray(page.items) ? page.items : [];
	return items.find((item) => item.type === 'final_message' && item.role === 'assistant');
}
