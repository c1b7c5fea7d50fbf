import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { WorkflowJson } from '../engine';
import { nodeOutput, nodeRuns, runBlocks } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';

const api = useEmulator();
const EXAMPLE = path.resolve(__dirname, '../../examples/long-task.workflow.json');

/** The shipped example, its quick wait cut to a second. */
function example(): WorkflowJson {
	const workflow = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as WorkflowJson;
	const wait = workflow.nodes.find((node) => node.name === 'Wait for a Quick Reply')!;
	wait.parameters.maxWaitSeconds = 1;
	// A loop that failed to end would be stopped here, so the test cannot hang.
	workflow.settings = { ...workflow.settings, executionTimeout: 20 };
	return workflow;
}

test('examples/long-task.workflow.json: a quick wait, then check-once rounds through the Wait node until the reply, with one session', async () => {
	api.emulator.setAgent(() => ({ manual: true }));
	const threadOfTheTask = () =>
		String(api.emulator.requests.find((entry) => entry.method === 'GET')?.path.split('/')[6]);

	const run = await runBlocks(example(), {
		credential: api.credential,
		onNodeFinished: (node, runs) => {
			// The agent finishes while the item is parked a second time (passed on at once here).
			if (node === 'Check for the Reply' && runs === 1)
				api.emulator.finishTurn(threadOfTheTask(), 'Upgraded');
		},
	});

	expect(nodeRuns(run, 'Wait for a Quick Reply')).toBe(1);
	expect(nodeRuns(run, 'Park 2 Minutes')).toBe(2);
	expect(nodeRuns(run, 'Check for the Reply')).toBe(2);
	const quick = nodeOutput(run, 'Wait for a Quick Reply', { output: 1 })[0].json;
	expect(quick).toMatchObject({ status: 'timed_out', rounds: 1 });
	expect(nodeOutput(run, 'Check for the Reply', { output: 1 })[0].json).toMatchObject({
		status: 'timed_out',
		rounds: 2,
		polls: 1,
		reply_url: quick.reply_url,
	});
	expect(nodeOutput(run, 'Use the Reply')[0].json).toMatchObject({
		status: 'replied',
		reply: 'Upgraded',
		rounds: 3,
		polls: 1,
	});
	expect(api.emulator.stats().sessionsCreated).toBe(1);
});
