import type { WaitOutcome } from '../../wait/outcome';
import type { WaitSettings } from '../../wait/settings';
import { OnOutput, type OperationResult } from '../operation';
import { STILL_WORKING_OUTPUT } from '../outputs';

/** A wait's item, on the Still Working output when it timed out and the user asked for that. */
export function replyResult(outcome: WaitOutcome, settings: WaitSettings): OperationResult {
	return outcome.status === 'timed_out' && settings.onTimeout === 'stillWorking'
		? new OnOutput(STILL_WORKING_OUTPUT, outcome)
		: outcome;
}
