import type { IDataObject, IRun } from 'n8n-workflow';

/** The items a node emitted in its first run (with pairing), or throws if it did not run. */
export function nodeOutput(
	run: IRun,
	nodeName: string,
): Array<{ json: IDataObject; pairedItem?: unknown }> {
	const task = run.data.resultData.runData[nodeName]?.[0];
	if (!task) throw new Error(`Node "${nodeName}" did not run`);
	if (task.error) throw new Error(`Node "${nodeName}" failed: ${task.error.message}`);
	return (task.data?.main?.[0] ?? []) as Array<{ json: IDataObject; pairedItem?: unknown }>;
}

/** The error a node stopped with, or undefined. */
export function nodeError(run: IRun, nodeName: string) {
	return run.data.resultData.runData[nodeName]?.[0]?.error;
}
