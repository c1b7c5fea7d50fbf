/**
 * examples/stream-progress.workflow.json in `n8n start`: its Webhook answers with "Respond:
 * Streaming", and the caller reads the agent's progress over HTTP while the agent still works.
 * The agent replies only when the test says so: the test posts a message and a tool call on the
 * turn, waits until each has come down the stream, and only then lets the agent reply. Adapted
 * for the test: a 1 s Poll Interval.
 */
import { assert, assertEqual } from '../checks';
import {
	executionWhen,
	nodeRuns,
	outputOf,
	sessionCreates,
	type ServerScenario,
} from '../serverScenario';
import { StreamedResponse, type StreamedLine } from '../streamedResponse';
import { REPLY_WHEN_TOLD } from '../testAgent';
import type { WorkflowJson } from '../../real-n8n/workflowFiles';
import { pollUntil } from '../../support/pollUntil';

const WEBHOOK = 'Ask by Webhook';
const ASK = 'Ask the Agent';
const PROGRESS = 'Reading the failing test and its fixtures.';
const TOOL_CALL = { __name__: 'Bash', command: 'npm test -- flaky.test.ts' };
const TOOL_NOTE = 'Tool call: Bash (command: npm test -- flaky.test.ts)';
const REPLY = 'Fixed: the test shared a port with another; it now asks for a free one.';

function adapt(example: WorkflowJson): WorkflowJson {
	const w = structuredClone(example);
	const ask = w.nodes.find((n) => n.name === ASK);
	if (!ask?.parameters) throw new Error(`the example has no node "${ASK}"`);
	ask.parameters.pollIntervalSeconds = 1;
	return w;
}

/** The Blocks node's chunks (n8n also writes keep-alive lines of its own). */
function chunksOfAsk(lines: StreamedLine[]): Array<{ type: unknown; content: unknown }> {
	return lines
		.map((line) => line.json)
		.filter((json) => (json?.metadata as { nodeName?: unknown } | undefined)?.nodeName === ASK)
		.map((json) => ({ type: json?.type, content: json?.content }));
}

const itemWith = (text: string) => (line: StreamedLine) =>
	line.json?.type === 'item' && String(line.json.content).includes(text);

export const exampleStreamProgress: ServerScenario = {
	workflow: { example: 'stream-progress.workflow.json' },
	adapt,

	async run(run) {
		const { check, rest, emulator } = run;
		const name = `example ${run.fileName} (Webhook, Respond: Streaming)`;
		const hook = run.workflow.nodes.find((n) => n.name === WEBHOOK);
		assert(hook, `${run.fileName} has no node "${WEBHOOK}"`);
		const url = `${rest.baseUrl}/webhook/${String(hook.parameters?.path)}`;
		let response: StreamedResponse | undefined;
		try {
			let threadId = '';
			const progressed = await check(
				`${name}: the agent's message and tool call come down the stream while its turn still runs`,
				async () => {
					response = await StreamedResponse.open(
						url,
						{ message: `Fix the flaky test. ${REPLY_WHEN_TOLD}` },
						120_000,
					);
					assertEqual(response.status, 200, 'status of the streamed answer');
					// The wait's polls name the thread it waits on.
					threadId = await pollUntil(
						() =>
							run
								.requests()
								.map((e) => /\/threads\/([0-9a-f-]{36})\/messages$/.exec(e.path)?.[1])
								.find(Boolean),
						{ timeoutMs: 60_000, intervalMs: 100, description: 'the first poll of the wait' },
					);
					const postedAt = Date.now();
					emulator.addAgentMessage(threadId, {
						type: 'message',
						message: PROGRESS,
						ts: postedAt / 1000,
					});
					const progress = await response.lineWhere(itemWith(PROGRESS), {
						timeoutMs: 30_000,
						description: 'the progress chunk',
					});
					emulator.addAgentMessage(threadId, {
						type: 'tool_call',
						message: JSON.stringify(TOOL_CALL),
						ts: Date.now() / 1000,
					});
					await response.lineWhere(itemWith(TOOL_NOTE), {
						timeoutMs: 30_000,
						description: 'the tool-call note',
					});
					// Both were read while the agent had not replied: it replies only when told.
					assertEqual(emulator.threadState(threadId).status, 'running', 'thread status');
					assert(
						!response.lines.some(itemWith(REPLY)),
						'the reply came before the agent was told to reply',
					);
					return `the progress message read ${progress.at - postedAt} ms after the agent posted it`;
				},
			);
			if (!progressed || !response) return;
			emulator.finishTurn(threadId, REPLY);
			const streamed = response;
			await check(
				`${name}: then the reply, last; each chunk once; the execution succeeds with one session`,
				async () => {
					await streamed.ended();
					assertEqual(
						JSON.stringify(chunksOfAsk(streamed.lines)),
						JSON.stringify([
							{ type: 'begin' },
							{ type: 'item', content: `${PROGRESS}\n\n` },
							{ type: 'item', content: `${TOOL_NOTE}\n\n` },
							{ type: 'item', content: REPLY },
							{ type: 'end' },
						]),
						`chunks of "${ASK}"`,
					);
					const [summary] = await rest.executionsOf(String(run.workflow.id));
					assert(summary, 'no execution');
					const e = await executionWhen(rest, summary.id, (x) => x.status !== 'running', {
						timeoutMs: 30_000,
						description: `execution ${summary.id} to finish`,
					});
					assertEqual(e.status, 'success', 'execution status');
					const [item] = outputOf(nodeRuns(e, ASK)[0], 0);
					assertEqual(item?.json.reply, REPLY, 'reply in the output item');
					assertEqual(sessionCreates(run.requests(), run.apiKey).length, 1, 'sessions created');
					return `${streamed.lines.length} lines`;
				},
			);
		} finally {
			response?.close();
		}
	},
};
