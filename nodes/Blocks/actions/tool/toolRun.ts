import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * Whether n8n's AI Agent is calling this node as one of its tools. n8n runs a `usableAsTool`
 * node as a tool under a type of its own, the node's type with "Tool" appended
 * (`n8n-nodes-blocks.blocksTool`), with the same `execute`: in n8n 1.123 and 2.41 alike, whether
 * the agent calls the tool as a sub-node or has the engine run it as a node of the workflow.
 * n8n documents no way for a node to ask; its own `@tool` display option tests the same suffix,
 * and that is what is read here (the sub-node context's `isToolExecution()` exists on only one
 * of the two paths).
 */
export function isToolRun(context: IExecuteFunctions): boolean {
	return context.getNode().type.endsWith('Tool');
}
