import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ReplyLink } from '../../transport/urls';
import { waitForReply, type WaitOptions } from '../../wait/waitForReply';
import type { ItemResult, ItemRun } from '../operation';
import { REPLIED_OUTPUT, STILL_WORKING_OUTPUT } from '../outputs';
import { waitAnswer } from '../tool/toolAnswers';
import { withReplyExtras } from './replyExtras';
import type { WaitRequest } from './wait.fields';

/**
 * A wait's item, as every operation that waits gives it: the reply waited for, with what
 * Include Session and Include Transcript add, on the Still Working output when it timed out and
 * the user asked for that. The router sends the next item meanwhile. `sent` is Blocks' answer to
 * the send the wait follows, when there was one.
 */
export async function replyResult(
	context: IExecuteFunctions,
	link: ReplyLink,
	{ settings, extras }: WaitRequest,
	{ itemIndex, signal, waitStarts }: ItemRun,
	options: WaitOptions,
	sent?: IDataObject,
): Promise<ItemResult> {
	waitStarts();
	const waited = await waitForReply.call(context, link, settings, itemIndex, signal, options);
	const outcome = await withReplyExtras(context, waited, extras, itemIndex, signal);
	const stillWorking = outcome.status === 'timed_out' && settings.onTimeout === 'stillWorking';
	return {
		items: [{ json: outcome }],
		output: stillWorking ? STILL_WORKING_OUTPUT : REPLIED_OUTPUT,
		toolAnswer: () => waitAnswer(outcome, sent),
	};
}
