/** What `n8n execute --rawOutput` prints: the run JSON after the log lines. */

export interface RunJson {
	status?: string;
	finished?: boolean;
	data?: {
		resultData?: {
			error?: ErrorJson;
			lastNodeExecuted?: string;
			runData?: Record<
				string,
				Array<{
					error?: ErrorJson;
					data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
				}>
			>;
		};
	};
}

interface ErrorJson {
	message?: string;
	description?: string | null;
	name?: string;
	httpCode?: string | null;
	node?: { name?: string; type?: string };
	[k: string]: unknown;
}

/**
 * Takes the run JSON out of `n8n execute --rawOutput` output: log lines come first, the JSON starts
 * at the first line that is exactly `{` and runs to the end (log lines printed after it are trimmed).
 */
export function parseRawOutput(stdout: string): { json?: RunJson; error?: string } {
	const lines = stdout.split(/\r?\n/);
	const startIdx = lines.findIndex((l) => l === '{');
	if (startIdx < 0) return { error: 'no line that is exactly "{" in the output' };
	let endIdx = lines.length;
	let lastError = '';
	// the JSON ends at a line that is exactly "}"; try from the last one backwards
	for (;;) {
		let closing = -1;
		for (let i = endIdx - 1; i > startIdx; i--) {
			if (lines[i] === '}') {
				closing = i;
				break;
			}
		}
		if (closing < 0)
			return { error: `could not parse the run JSON: ${lastError || 'no closing "}" line'}` };
		try {
			return { json: JSON.parse(lines.slice(startIdx, closing + 1).join('\n')) as RunJson };
		} catch (e) {
			lastError = e instanceof Error ? e.message : String(e);
			endIdx = closing;
		}
	}
}
