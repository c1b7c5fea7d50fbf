import type { IExecuteFunctions, INodeOutputConfiguration } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ON_TIMEOUT_CHOICES } from '../wait/settings';

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

/**
 * The node's outputs, once the fields that shape them are known to hold one of their choices.
 * n8n draws the outputs from the fields as saved, with no item to evaluate an expression
 * against, so these fields take no expression (`noDataExpression`). One that still arrives (an
 * imported or hand-written workflow) reaches the node as text: n8n drops the leading "=" of an
 * expression in such a field when it loads the workflow (NodeHelpers.getNodeParameters, n8n
 * 1.123 and 2.41), leaving "{{ true }}", which an item would read as on while the outputs read
 * it as off. Such a value fails the node before anything is sent, naming the field.
 */
export function outputsOfNode(context: IExecuteFunctions): INodeOutputConfiguration[] {
	const { parameters } = context.getNode();
	const session = parameters.resource !== 'message';
	const sends =
		session && (parameters.operation === 'create' || parameters.operation === 'sendMessage');
	if (
		sends &&
		parameters.waitForReply !== undefined &&
		typeof parameters.waitForReply !== 'boolean'
	) {
		throw notAChoice(context, 'Wait for Reply', 'must be on or off', parameters.waitForReply);
	}
	const waits =
		session &&
		(parameters.operation === 'waitForReply' || (sends && parameters.waitForReply === true));
	const { onTimeout } = parameters;
	if (
		waits &&
		onTimeout !== undefined &&
		!(ON_TIMEOUT_CHOICES as readonly unknown[]).includes(onTimeout)
	) {
		throw notAChoice(
			context,
			'On Timeout',
			`must be one of ${ON_TIMEOUT_CHOICES.join(', ')}`,
			onTimeout,
		);
	}
	return outputsFor(parameters);
}

function notAChoice(
	context: IExecuteFunctions,
	label: string,
	problem: string,
	value: unknown,
): NodeOperationError {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
	return new NodeOperationError(context.getNode(), `${label} ${problem}, got "${shown}"`, {
		description: `"${label}" decides the node's outputs, which n8n draws from the field as saved rather than per item, so it takes no expression. Set it in the node (in the workflow's JSON, a plain value rather than "={{ … }}"); for items that need different settings, branch before this node.`,
	});
}
