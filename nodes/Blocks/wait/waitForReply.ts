import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { baseUrlOf, blocksApiRequest } from '../transport';
import { apiUrl, type ReplyLink } from '../transport/urls';
import { sleepUnlessCancelled } from './sleep';

export interface WaitSettings {
	maxWaitMs: number;
	pollIntervalMs: number;
	onTimeout: 'error' | 'output';
}

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

interface MessagePage {
	items?: IDataObject[];
}

/**
 * Polls a thread until its final assistant message appears (the only "done" signal, contract
 * §2), the wait runs out of time, or the execution is cancelled. It polls at once, then every
 * poll interval; the last sleep is cut short so the last poll lands on the deadline.
 */
export async function waitForReply(
	this: IExecuteFunctions,
	link: ReplyLink,
	settings: WaitSettings,
	itemIndex: number,
	signal: AbortSignal,
): Promise<WaitOutcome> {
	const started = Date.now();
	const deadline = started + settings.maxWaitMs;
	const replyUrl = apiUrl(await baseUrlOf(this), link.path, link.query);
	let polls = 0;

	const outcome = (finalMessage: IDataObject | null): WaitOutcome => ({
		status: finalMessage ? 'replied' : 'timed_out',
		reply: finalMessage ? String(finalMessage.message ?? '') : null,
		session_id: link.sessionId,
		thread_id: link.threadId,
		reply_url: replyUrl,
		final_message: finalMessage,
		waited_ms: Date.now() - started,
		polls,
	});

	for (;;) {
		polls++;
		const page = (await blocksApiRequest.call(this, {
			method: 'GET',
			path: link.path,
			query: link.query,
			retry: 'idempotent',
			itemIndex,
			signal,
			// Retries stop at the deadline; the request then in flight may add one request time-out.
			retryUntil: deadline,
		})) as MessagePage;
		const finalMessage = findFinalMessage(page);
		if (finalMessage) return outcome(finalMessage);

		const left = deadline - Date.now();
		if (left <= 0) break;
		await sleepUnlessCancelled(Math.min(settings.pollIntervalMs, left), signal);
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

/** The thread's final assistant reply, checked on the items themselves rather than the filter. */
function findFinalMessage(page: MessagePage): IDataObject | undefined {
	const items = Array.isArray(page.items) ? page.items : [];
	return items.find((item) => item.type === 'final_message' && item.role === 'assistant');
}
