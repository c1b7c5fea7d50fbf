/** Workflow JSON files on disk: reading them, the repository's examples, pointing them at a credential. */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { MANUAL_TRIGGER_TYPE } from '../engine';
import { NODE_TYPE } from '../../nodes/Blocks/identity';

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion?: number;
	parameters?: Record<string, unknown>;
	credentials?: Record<string, { id?: string; name: string }>;
	[k: string]: unknown;
}

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	[k: string]: unknown;
}

export interface WorkflowFile {
	file: string;
	workflow: WorkflowJson;
}

export function repoRoot(): string {
	// compiled to build/test/real-n8n/*.js; sources live in test/real-n8n/
	return path.resolve(__dirname, '..', '..', '..');
}

export function readWorkflow(file: string): WorkflowJson {
	const data = JSON.parse(fs.readFileSync(file, 'utf8')) as WorkflowJson;
	if (!data || typeof data !== 'object' || !Array.isArray(data.nodes)) {
		throw new Error(`${file} is not a workflow (no "nodes" array)`);
	}
	return data;
}

/** A fixed short id for a workflow file that has none (n8n's import needs one to run it by id). */
function idFor(file: string): string {
	return `ex${crypto.createHash('sha1').update(path.basename(file)).digest('hex').slice(0, 14)}`;
}

/** The repository's example workflows (examples/*.json, or E2E_EXAMPLES_DIR), if any. */
export function examples(): WorkflowFile[] {
	const dir = process.env.E2E_EXAMPLES_DIR || path.join(repoRoot(), 'examples');
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => {
			const file = path.join(dir, f);
			const workflow = readWorkflow(file);
			return { file, workflow: { ...workflow, id: workflow.id || idFor(file) } };
		});
}

/** A Blocks node, as itself or as the tool n8n makes of it for the AI Agent (`…blocksTool`). */
function isBlocksNode(node: WorkflowNode): boolean {
	return node.type === NODE_TYPE || node.type === `${NODE_TYPE}Tool`;
}

/** A copy whose Blocks nodes use the given credential. */
export function withCredential(
	workflow: WorkflowJson,
	credential: { id: string; name: string },
): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowJson;
	for (const node of copy.nodes) {
		if (!isBlocksNode(node)) continue;
		node.credentials = {
			...(node.credentials ?? {}),
			blocksApi: { id: credential.id, name: credential.name },
		};
	}
	return copy;
}

export function isManuallyStartable(workflow: WorkflowJson): boolean {
	return workflow.nodes.some((n) => n.type === MANUAL_TRIGGER_TYPE);
}

/** The distinct Blocks API credentials (id and name) the Blocks nodes of these workflows refer to. */
export function blocksCredentialsOf(
	workflows: WorkflowJson[],
): Array<{ id: string; name: string }> {
	const byId = new Map<string, { id: string; name: string }>();
	for (const workflow of workflows) {
		for (const node of workflow.nodes) {
			const ref = isBlocksNode(node) ? node.credentials?.blocksApi : undefined;
			if (ref?.id && !byId.has(ref.id)) byId.set(ref.id, { id: ref.id, name: ref.name });
		}
	}
	return [...byId.values()];
}

/** The node of `workflow` called `name`; throws when there is none. */
export function nodeNamed(workflow: WorkflowJson, name: string): WorkflowNode {
	const found = workflow.nodes.find((n) => n.name === name);
	if (!found) throw new Error(`the workflow has no node "${name}"`);
	return found;
}
