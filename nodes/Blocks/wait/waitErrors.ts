import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { WaitPlan } from './plan';
import type { WaitSettings } from './settings';
import type { WaitOutcome } from './outcome';

/**
 * How a wait that ends without a reply explains itself. Each says the turn was not cancelled,
 * gives the reply URL to resume from, and what to change.
 */

/** "On Timeout: Fail the Item" and no reply by the deadline. */
export function timedOutError(
	node: INode,
	itemIndex: number,
	outcome: WaitOutcome,
	plan: WaitPlan,
): NodeOperationError {
	const seconds = Math.round((plan.deadline - plan.startedAt) / 1000);
	const why =
		plan.endsBy === 'timeLimit'
			? ` The wait ended early, before this execution's time limit ("Timeout Workflow"), so that n8n does not stop the workflow.`
			: '';
	const what =
		plan.deadline > plan.startedAt ? `No reply within ${seconds} seconds` : 'No reply yet';
	return new NodeOperationError(node, what, {
		itemIndex,
		description: `${refusedRepliesNote(outcome)}The agent may still be working: the turn was not cancelled.${why} Wait again later with the reply URL ${outcome.reply_url}, or set "On Timeout" to "Route to Still Working Output" or "Output Item" to continue the workflow instead of failing.`,
	});
}

/** The loop's total wait reached Give Up After. */
export function gaveUpError(
	node: INode,
	itemIndex: number,
	outcome: WaitOutcome,
	settings: WaitSettings,
): NodeOperationError {
	return new NodeOperationError(
		node,
		`Gave up waiting for the reply after ${outcome.rounds} ${outcome.rounds === 1 ? 'round' : 'rounds'} and ${duration(outcome.waited_ms_total)} in all (Give Up After: ${duration(settings.giveUpAfterMs)})`,
		{
			itemIndex,
			description: `${refusedRepliesNote(outcome)}The turn was not cancelled and may still finish in Blocks; its reply URL is ${outcome.reply_url}. Raise "Give Up After" to keep waiting in the loop, or look at the session in the Blocks dashboard.`,
		},
	);
}

/**
 * Said first when the reply link answered with final messages naming another thread: then the
 * deployment, not the agent, is the likelier reason no reply came.
 */
function refusedRepliesNote({ refused_replies: refused, thread_id }: WaitOutcome): string {
	if (!refused) return '';
	const messages = refused.count === 1 ? 'a final message' : `${refused.count} final messages`;
	return `The reply link answered with ${messages} of another thread (${refused.thread_ids.join(', ')}), not this turn's thread ${thread_id}, so ${refused.count === 1 ? 'it was' : 'they were'} not taken as the reply. If that is this turn's reply, the deployment labels messages with another thread (Blocks' mock server names the session's first thread on every message). `;
}

/** n8n stopped the execution mid-wait: a cancel, the time limit, or a shutdown. */
export function stoppedWhileWorkingError(
	node: INode,
	itemIndex: number,
	replyUrl: string,
	afterSend: boolean,
): NodeOperationError {
	const noRerun = afterSend
		? ' Do not retry this execution from this node: that would send the message again.'
		: '';
	return new NodeOperationError(
		node,
		'The execution was cancelled while the agent was still working on its turn',
		{
			itemIndex,
			description: `n8n stopped this wait (a cancel, the workflow's time limit, or a restart), but the turn goes on in Blocks and its reply will arrive. Pick it up with Wait for Reply and the reply URL ${replyUrl}.${noRerun}`,
		},
	);
}

/**
 * Errors the node made already pass as they are; anything else is wrapped for the item, keeping
 * an Error as the cause, and anything thrown that is not an Error as its text.
 */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error), {
		itemIndex,
	});
}

/** 90 s, 12 min, 3 h 5 min: how long, as a person would say it. */
function duration(ms: number): string {
	const seconds = Math.round(ms / 1000);
	if (seconds < 120) return `${seconds} s`;
	const minutes = Math.round(seconds / 60);
	if (minutes < 120) return `${minutes} min`;
	const hours = Math.floor(minutes / 60);
	return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}
