import type { IExecuteFunctions } from 'n8n-workflow';

import type { ReplyLink } from '../../transport/urls';
import type { WaitOutcome } from '../../wait/outcome';
import type { WaitSettings } from '../../wait/settings';
import { waitForReply, type WaitOptions } from '../../wait/waitForReply';
import { OnOutput, type OperationResult } from '../operation';
import { STILL_WORKING_OUTPUT } from '../outputs';
import { withReplyExtras } from './replyExtras';
import type { ReplyExtras } from './replyExtras.fields';

/** What an item's wait was asked for: how to wait, and what to add once the reply is in. */
export interface ReplyRequest {
	settings: WaitSettings;
	extras: ReplyExtras;
}

/**
 * A wait's item, as every operation that waits gives it: the reply waited for, with what
 * Include Session and Include Transcript add, on the Still Working output when it timed out
 * and the user asked for that.
 */
export async function replyItem(
	context: IExecuteFunctions,
	link: ReplyLink,
	{ settings, extras }: ReplyRequest,
	itemIndex: number,
	signal: AbortSignal,
	options: WaitOptions,
): Promise<OperationResult> {
	const outcome = await waitForReply.call(context, link, settings, itemIndex, signal, options);
	return onItsOutput(await withReplyExtras(context, outcome, extras, itemIndex, signal), settings);
}

function onItsOutput(outcome: WaitOutcome, settings: WaitSettings): OperationResult {
	return outcome.status === 'timed_out' && settings.onTimeout === 'stillWorking'
		? new OnOutput(STILL_WORKING_OUTPUT, outcome)
		: outcome;
}
