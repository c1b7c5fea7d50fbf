/**
 * n8n's own records of the executions, read from its PostgreSQL database: their status and the
 * items each node put out (saved as each node finished, EXECUTIONS_DATA_SAVE_ON_PROGRESS).
 */
import * as path from 'path';
import type { N8nInstall } from '../../tooling/n8n/install';
import type { Postgres } from './services';

export interface ExecutionRecord {
	id: string;
	status: string;
	startedAt: string | null;
	stoppedAt: string | null;
}

export type Item = Record<string, unknown>;

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
			`select id::text as id, status, "startedAt", "stoppedAt" from execution_entity
			 where "workflowId" = '${workflowId.replace(/'/g, "''")}' order by id`,
		);
	}

	/** The items `node` put out in its first run of this execution; undefined if it has not run. */
	async outputOf(executionId: string, node: string): Promise<Item[] | undefined> {
		const [row] = await this.db.query<{ data: string }>(
			`select data from execution_data where "executionId" = ${Number(executionId)}`,
		);
		if (!row) return undefined;
		const data = this.flatted.parse(row.data) as {
			resultData?: {
				runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Item }> | null> } }>>;
			};
		};
		const runs = data.resultData?.runData?.[node];
		if (!runs?.length) return undefined;
		return (runs[0].data?.main?.[0] ?? []).map((item) => item.json);
	}
}
