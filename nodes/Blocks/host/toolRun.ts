import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * Read in n8n 1.123.81 (n8n-workflow 1.120.31) and n8n 2.41.1 (n8n-workflow 2.41.0); checked
 * against both in test/unit/host.test.ts.
 *
 * Whether n8n's AI Agent is calling this node as one of its tools. n8n runs a `usableAsTool`
 * node as a tool under a type of its own, the node's type with "Tool" appended
 * (`n8n-nodes-blocks.blocksTool`), with the same `execute`: in both versions, whether the agent
 * calls the tool as a sub-node or has the engine run it as a node of the workflow. n8n
 * documents no way for a node to ask; its own `@tool` display option (n8n-workflow's
 * `displayParameter`) tests the same suffix, and that is what is read here (the sub-node
 * context's `isToolExecution()` exists on only one of the two paths).
 */
export function isToolRun(context: Pick<IExecuteFunctions, 'getNode'>): boolean {
	return isToolType(context.getNode().type);
}

/** Whether a node type is the tool form of a node, as n8n names it. */
export function isToolType(nodeType: string): boolean {
	return nodeType.endsWith('Tool');
}
