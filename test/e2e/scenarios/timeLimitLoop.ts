/**
 * The long-task loop under a time limit, in `n8n start` (regular mode): Timeout Workflow 65 s,
 * Max Wait 5 s, the Wait node at 66 s (PARKING_WAIT_SECONDS), an agent that has not answered.
 * Round 1 polls its Max Wait and parks the execution; it resumes about 72 s after it started.
 * n8n's regular mode counts the limit from the execution's start, parked time included
 * (host/executionLimit.ts), so it stops the execution as it resumes, before Wait for Reply runs
 * again. The queue suite runs the same loop, where each resume gets the limit afresh and the
 * reply arrives (test/queue/timeLimitTurn.ts).
 */
import { assert, assertEqual } from '../checks';
import {
	ServerScenario,
	executionWhen,
	nodeRuns,
	outputOf,
	startThroughWebhook,
} from '../serverScenario';
import { longTaskUnderTimeLimit, PARKING_WAIT_SECONDS, TIME_LIMIT_LOOP } from './exampleLongTask';

export const timeLimitLoop: ServerScenario = {
	workflow: { example: 'long-task.workflow.json' },
	adapt: (example) =>
		longTaskUnderTimeLimit(example, 'e2eTimeLimitLoop', 'blocks-e2e-long-task-time-limit'),

	async run(run) {
		const { check, rest } = run;
		const { timeoutSeconds, maxWaitSeconds } = TIME_LIMIT_LOOP;
		const name = `long-task loop, Timeout Workflow ${timeoutSeconds} s, Max Wait ${maxWaitSeconds} s, Wait ${PARKING_WAIT_SECONDS} s`;
		let executionId = '';
		const parked = await check(`${name}: round 1 polls its Max Wait, then parks`, async () => {
			executionId = (await startThroughWebhook(run)).id;
			const e = await executionWhen(
				rest,
				executionId,
				(x) => x.status !== 'running' && x.status !== 'new',
				{ timeoutMs: 60_000, description: `execution ${executionId} to park` },
			);
			assertEqual(e.status, 'waiting', 'execution status');
			const [stillWorking] = outputOf(nodeRuns(e, 'Wait for Reply')[0], 1);
			assert(stillWorking, 'no item on Still Working after round 1');
			const waited = Number(stillWorking.json.waited_ms);
			assert(waited >= maxWaitSeconds * 1000 - 100, `round 1 waited_ms ${waited}`);
			return `round 1 waited ${waited} ms`;
		});
		if (!parked) return;
		await check(
			`${name}: regular mode counts the park, so n8n stops the execution as it resumes`,
			async () => {
				const e = await executionWhen(
					rest,
					executionId,
					(x) => x.status !== 'waiting' && x.status !== 'running' && x.status !== 'new',
					{ timeoutMs: 120_000, description: `execution ${executionId} to end` },
				);
				const rounds = nodeRuns(e, 'Wait for Reply').length;
				const ran = Date.parse(String(e.stoppedAt)) - Date.parse(String(e.startedAt));
				const outcome = `status "${e.status}", ${rounds} round(s), stopped ${ran} ms after startedAt, error: ${String(e.data.resultData.error?.message ?? 'none')}`;
				assert(e.status !== 'success', outcome);
				assertEqual(rounds, 1, `rounds of Wait for Reply (${outcome})`);
				return outcome;
			},
		);
	},
};
