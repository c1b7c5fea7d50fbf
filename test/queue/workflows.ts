/**
 * The workflows the queue-mode suite imports. Each starts at a Webhook (the main instance takes
 * the call and queues the execution for a worker) and turns the posted list into items.
 */
import * as crypto from 'crypto';
import { type WorkflowJson, type WorkflowNode } from '../real-n8n/workflowFiles';
import { NODE_TYPE } from '../../nodes/Blocks/identity';

export interface CredentialRef {
	id: string;
	name: string;
}

/** A stable UUID from a label, so re-imports keep node and webhook ids. */
function uuidFor(label: string): string {
	const hex = crypto.createHash('sha1').update(label).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function webhookNode(
	workflowId: string,
	webhookPath: string,
	responseMode: 'onReceived' | 'lastNode',
): WorkflowNode {
	return {
		id: uuidFor(`${workflowId}/webhook`),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: uuidFor(`${workflowId}/webhookId`),
		parameters: {
			httpMethod: 'POST',
			path: webhookPath,
			responseMode,
			...(responseMode === 'lastNode' ? { responseData: 'allEntries' } : {}),
			options: {},
		},
	};
}

function splitOutNode(workflowId: string, field: string): WorkflowNode {
	return {
		id: uuidFor(`${workflowId}/split`),
		name: 'Items',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [220, 0],
		parameters: { fieldToSplitOut: `body.${field}`, options: {} },
	};
}

function blocksNode(
	workflowId: string,
	name: string,
	x: number,
	parameters: Record<string, unknown>,
	credential: CredentialRef,
): WorkflowNode {
	return {
		id: uuidFor(`${workflowId}/${name}`),
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [x, 0],
		parameters,
		credentials: { blocksApi: credential },
	};
}

function chain(names: string[]): Record<string, unknown> {
	const connections: Record<string, unknown> = {};
	for (let index = 0; index + 1 < names.length; index++) {
		connections[names[index]] = { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

export const CREATE_NODE = 'Create Session';
export const WAIT_NODE = 'Wait for Reply';

/**
 * Webhook (answers at once) → one item per posted message → Create Session without waiting →
 * Wait for Reply. Create and wait are separate nodes, as docs/waiting.md advises for long waits: the
 * creates' output (with each reply URL) is saved before the wait begins.
 */
export function spreadWorkflow(
	id: string,
	webhookPath: string,
	credential: CredentialRef,
): WorkflowJson {
	const nodes = [
		webhookNode(id, webhookPath, 'onReceived'),
		splitOutNode(id, 'prompts'),
		blocksNode(
			id,
			CREATE_NODE,
			440,
			{
				resource: 'session',
				operation: 'create',
				agentName: 'claude',
				message: '={{ $json.message }}',
				waitForReply: false,
			},
			credential,
		),
		blocksNode(
			id,
			WAIT_NODE,
			660,
			{ resource: 'session', operation: 'waitForReply', maxWaitSeconds: 600 },
			credential,
		),
	];
	return {
		id,
		name: `Queue: spread ${webhookPath}`,
		active: true,
		nodes,
		connections: chain(nodes.map((node) => node.name)),
		settings: { executionOrder: 'v1' },
	};
}

/** Webhook (answers with the last node's items) → one item per reply URL → Wait for Reply. */
export function resumeWorkflow(
	id: string,
	webhookPath: string,
	credential: CredentialRef,
): WorkflowJson {
	const nodes = [
		webhookNode(id, webhookPath, 'lastNode'),
		splitOutNode(id, 'waits'),
		blocksNode(
			id,
			WAIT_NODE,
			440,
			{
				resource: 'session',
				operation: 'waitForReply',
				replyUrl: '={{ $json.reply_url }}',
				maxWaitSeconds: 300,
			},
			credential,
		),
	];
	return {
		id,
		name: `Queue: resume ${webhookPath}`,
		active: true,
		nodes,
		connections: chain(nodes.map((node) => node.name)),
		settings: { executionOrder: 'v1' },
	};
}
