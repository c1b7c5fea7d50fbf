import type {
	IDataObject,
	INode,
	INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

/**
 * Read in n8n 1.123.81 and 2.41.1 (n8n-core's `WorkflowExecute.handleNodeErrorOutput`; the
 * setting's value and the item's `error` field are n8n-workflow's, checked against n8n-workflow
 * 1.120.31 and 2.41.0 in test/unit/host.test.ts).
 *
 * The item a failed input item becomes under "Continue On Fail". Under "Continue (using error
 * output)" n8n moves an item to the error output by its `error`; without one it does so only
 * for a JSON of nothing but `error` (and `message`), and the node's says more. Under plain
 * "Continue (using regular output)" an item with `error` would lose its description in the
 * output, so it is left off there.
 */
export function continuedItem(
	node: INode,
	json: IDataObject,
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
): INodeExecutionData {
	const routed = node.onError === 'continueErrorOutput' ? { error } : {};
	return { json, ...routed, pairedItem: { item: itemIndex } };
}
