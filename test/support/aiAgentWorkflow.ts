import type { INode, INodeParameters } from 'n8n-workflow';

import { AI_AGENT_TYPE, blocksNode, chain, type WorkflowJson } from '../engine';
import { NODE_TYPE } from '../../nodes/Blocks/identity';

/** The AI Agent node's name in these workflows. */
export const AI_AGENT = 'AI Agent';

/**
 * Start → AI Agent, with a Blocks tool for each entry of `tools` (its name → its parameters),
 * connected to the agent as n8n connects them. A wait that the tool's cap fails to end is
 * stopped by the workflow's time limit, so a broken test cannot hang.
 */
export function aiAgentWorkflow(tools: Record<string, INodeParameters>): WorkflowJson {
	const agent: INode = {
		id: 'agent',
		name: AI_AGENT,
		type: AI_AGENT_TYPE,
		typeVersion: 3,
		position: [0, 0],
		parameters: {},
	};
	const workflow = chain(agent);
	for (const [name, parameters] of Object.entries(tools)) {
		workflow.nodes.push(blocksNode(name, parameters, { type: `${NODE_TYPE}Tool` }));
		workflow.connections[name] = { ai_tool: [[{ node: AI_AGENT, type: 'ai_tool', index: 0 }]] };
	}
	workflow.settings = { executionOrder: 'v1', executionTimeout: 30 };
	return workflow;
}
