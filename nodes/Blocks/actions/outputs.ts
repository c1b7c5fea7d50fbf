import type { INodeOutputConfiguration } from 'n8n-workflow';

/** Where an item goes when the node has two outputs. */
export const REPLIED_OUTPUT = 0;
export const STILL_WORKING_OUTPUT = 1;

/**
 * The node's outputs for its parameters: one, or Replied and Still Working when a wait routes
 * its time-outs to an output of their own. n8n evaluates this function's source text as the
 * description's `outputs` expression (as its Switch node does), so the editor shows the outputs
 * the router fills: it must stay self-contained, using nothing but its argument.
 */
export const outputsFor = (parameters: {
	resource?: unknown;
	operation?: unknown;
	waitForReply?: unknown;
	onTimeout?: unknown;
}): INodeOutputConfiguration[] => {
	const waits =
		parameters.resource !== 'message' &&
		(parameters.operation === 'waitForReply' || parameters.waitForReply === true);
	if (waits && parameters.onTimeout === 'stillWorking') {
		return [
			{ type: 'main', displayName: 'Replied' },
			{ type: 'main', displayName: 'Still Working' },
		];
	}
	return [{ type: 'main' }];
};

/** The description's `outputs`: the function above, applied by n8n to the node's parameters. */
export const OUTPUTS_EXPRESSION: `={{${string}}}` = `={{(${outputsFor.toString()})($parameter)}}`;
