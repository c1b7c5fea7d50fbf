import type { IDataObject, IRun } from 'n8n-workflow';

type OutputItem = { json: IDataObject; pairedItem?: unknown };

/**
 * The items a node emitted (with pairing): on its first output of its first run unless told
 * otherwise. Throws if that run did not happen or failed.
 */
export function nodeOutput(
	run: IRun,
	nodeName: string,
	{ output = 0, runIndex = 0 }: { output?: number; runIndex?: number } = {},
): OutputItem[] {
	const task = run.data.resultData.runData[nodeName]?.[runIndex];
	if (!task) throw new Error(`Node "${nodeName}" did not run (run ${runIndex})`);
	if (task.error) throw new Error(`Node "${nodeName}" failed: ${task.error.message}`);
	return (task.data?.main?.[output] ?? []) as OutputItem[];
}

/** How many times a node ran. */
export function nodeRuns(run: IRun, nodeName: string): number {
	return run.data.resultData.runData[nodeName]?.length ?? 0;
}

/** The error a node stopped with (in its first run unless told otherwise), or undefined. */
export function nodeError(run: IRun, nodeName: string, runIndex = 0) {
	return run.data.resultData.runData[nodeName]?.[runIndex]?.error;
}
