/**
 * n8n's own records of the executions, read from its PostgreSQL database: their status and the
 * items each node put out (saved as each node finished, EXECUTIONS_DATA_SAVE_ON_PROGRESS).
 */
import * as path from 'path';
import type { N8nInstall } from '../real-n8n/install';
import type { TimedNodeRun } from '../e2e/slotTime';
import type { Postgres } from './services';

export interface ExecutionRecord {
	id: string;
	status: string;
	startedAt: string | null;
	stoppedAt: string | null;
	/** Set while the execution is parked (a Wait node): when n8n is to resume it. */
	waitTill: string | null;
}

export type Item = Record<string, unknown>;

/** One run of a node: the items it put out on each of its outputs. */
export type NodeRunOutputs = Item[][];

interface RunData {
	resultData?: {
		lastNodeExecuted?: string;
		runData?: Record<
			string,
			Array<TimedNodeRun & { data?: { main?: Array<Array<{ json: Item }> | null> } }>
		>;
	};
}

const DONE = new Set(['success', 'error', 'crashed', 'canceled']);

export function isDone(execution: ExecutionRecord): boolean {
	return DONE.has(execution.status);
}

export class ExecutionRecords {
	/** n8n stores run data in the `flatted` format; its own copy reads it back. */
	private readonly flatted: { parse(text: string): unknown };

	constructor(
		private readonly db: Postgres,
		install: N8nInstall,
	) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		this.flatted = require(path.join(install.dir, 'node_modules', 'flatted')) as {
			parse(text: string): unknown;
		};
	}

	async ofWorkflow(workflowId: string): Promise<ExecutionRecord[]> {
		return await this.db.query<ExecutionRecord>(
			`select id::text as id, status, "startedAt", "stoppedAt", "waitTill" from execution_entity
			 where "workflowId" = '${workflowId.replace(/'/g, "''")}' order by id`,
		);
	}

	private async runData(executionId: string): Promise<RunData | undefined> {
		const [row] = await this.db.query<{ data: string }>(
			`select data from execution_data where "executionId" = ${Number(executionId)}`,
		);
		return row ? (this.flatted.parse(row.data) as RunData) : undefined;
	}

	/** The node the execution ran last (for a parked one: the Wait node that parked it). */
	async lastNodeExecuted(executionId: string): Promise<string | undefined> {
		return (await this.runData(executionId))?.resultData?.lastNodeExecuted;
	}

	/** Every run of `node` in this execution, oldest first; empty if it has not run. */
	async runsOf(executionId: string, node: string): Promise<NodeRunOutputs[]> {
		const runs = (await this.runData(executionId))?.resultData?.runData?.[node] ?? [];
		return runs.map((run) =>
			(run.data?.main ?? []).map((output) => (output ?? []).map((item) => item.json)),
		);
	}

	/** When each run of each node started and how long it took (ms): what held a slot when. */
	async runTimes(executionId: string): Promise<Record<string, TimedNodeRun[]>> {
		const runData = (await this.runData(executionId))?.resultData?.runData ?? {};
		return Object.fromEntries(
			Object.entries(runData).map(([node, runs]) => [
				node,
				runs.map(({ startTime, executionTime }) => ({ startTime, executionTime })),
			]),
		);
	}

	/** The items `node` put out in its first run of this execution; undefined if it has not run. */
	async outputOf(executionId: string, node: string): Promise<Item[] | undefined> {
		const [first] = await this.runsOf(executionId, node);
		return first ? (first[0] ?? []) : undefined;
	}
}
