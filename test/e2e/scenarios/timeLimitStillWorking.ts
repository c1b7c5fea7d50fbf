/**
 * A wait inside a workflow time limit, in `n8n start`: Timeout Workflow 30 s, Max Wait 600 s, an
 * agent that never finishes. The wait ends before n8n would cancel the execution, with a Still
 * Working item to resume from.
 */
import { assert, assertEqual } from '../checks';
import {
	ServerScenario,
	executionWhen,
	nodeRuns,
	outputOf,
	sessionCreates,
	startThroughWebhook,
} from '../serverScenario';

const TIME_LIMIT_MS = 30_000;

export const timeLimitStillWorking: ServerScenario = {
	workflow: { fixture: 'time-limit-still-working.json' },

	async run(run) {
		await run.check(
			'Timeout Workflow 30 s, Max Wait 600 s: the execution succeeds with a Still Working item, not cancelled',
			async () => {
				const { id } = await startThroughWebhook(run);
				const e = await executionWhen(
					run.rest,
					id,
					(x) => x.status !== 'running' && x.status !== 'new',
					{
						timeoutMs: 90_000,
						description: `execution ${id} to end`,
					},
				);
				assertEqual(e.status, 'success', 'execution status');
				const [round] = nodeRuns(e, 'Wait for Reply');
				assertEqual(outputOf(round, 0).length, 0, 'items on Replied');
				const [item] = outputOf(round, 1);
				assert(item, 'no item on Still Working');
				assertEqual(item.json.status, 'timed_out', 'status');
				const thread = String(item.json.thread_id);
				assert(
					typeof item.json.reply_url === 'string' && item.json.reply_url.includes(thread),
					`reply_url ${String(item.json.reply_url)}`,
				);
				const waited = Number(item.json.waited_ms);
				assert(waited > 0 && waited < TIME_LIMIT_MS, `waited_ms ${waited}`);
				assertEqual(
					outputOf(nodeRuns(e, 'Still Working')[0], 0).length,
					1,
					'items into "Still Working"',
				);
				assertEqual(sessionCreates(run.requests(), run.apiKey).length, 1, 'sessions created');
				const ran = Date.parse(String(e.stoppedAt)) - Date.parse(String(e.startedAt));
				return `waited ${waited} ms of the 600 s; the execution ran ${ran} ms`;
			},
		);
	},
};
