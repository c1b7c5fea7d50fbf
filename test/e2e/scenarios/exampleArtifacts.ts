/**
 * examples/artifacts.workflow.json as shipped: ask for a plan with Wait for Reply, then get the
 * session's plans. The e2e agent writes no plans, so this proves the Artifact resource loads and
 * runs in real n8n and reads the session it was given; the files themselves are checked in the
 * engine tests (test/node/artifact.test.ts).
 */
import { assert, assertEqual } from '../checks';
import { verifyExample } from '../exampleChecks';
import { outputItems, Scenario } from '../scenario';

export const exampleArtifacts: Scenario = {
	workflow: { example: 'artifacts.workflow.json' },

	async verify(run) {
		if (!(await verifyExample(run, { replies: ['Ask for a Plan'] }))) return;
		await run.check('example artifacts.workflow.json: "Get the Plans" read that session', () => {
			assertEqual(outputItems(run.result.json, 'Get the Plans').length, 0, 'plans');
			const sessionId = String(outputItems(run.result.json, 'Ask for a Plan')[0].json.session_id);
			const reads = run
				.requests()
				.filter((entry) => entry.method === 'GET' && entry.path.endsWith(`/sessions/${sessionId}`));
			assert(reads.length === 1, `${reads.length} reads of the session, expected 1`);
			return `GET /sessions/${sessionId}: no plans, no items`;
		});
	},
};
