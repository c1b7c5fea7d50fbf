import { callApi } from '../support/rawEmulator';
import { nodeOutput, runNode } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';

const api = useEmulator();

describe('Get Session', () => {
	test('outputs the session as the API returns it', async () => {
		const created = await callApi(api.emulator.url, 'POST', '/rest/v1/sessions', {
			apiKey: api.apiKey,
			body: { agent_name: 'gemini', message: 'Hi' },
		});

		const run = await runNode(
			{ resource: 'session', operation: 'get', sessionId: created.body.id.toUpperCase() },
			{ credential: api.credential },
		);

		const [item] = nodeOutput(run, 'Blocks');
		expect(item.json).toMatchObject({
			id: created.body.id,
			thread_id: null,
			plan_artifact_ids: [],
		});
	});

	test('reads are retried through 5xx answers and dropped connections', async () => {
		const created = await callApi(api.emulator.url, 'POST', '/rest/v1/sessions', {
			apiKey: api.apiKey,
			body: { agent_name: 'gemini', message: 'Hi' },
		});
		api.emulator.faults.add({ match: { method: 'GET' }, fault: { kind: 'status', status: 502 } });
		api.emulator.faults.add({ match: { method: 'GET' }, fault: { kind: 'resetBefore' } });

		const run = await runNode(
			{ resource: 'session', operation: 'get', sessionId: created.body.id },
			{ credential: api.credential },
		);

		expect(nodeOutput(run, 'Blocks')[0].json.id).toBe(created.body.id);
		expect(api.requestsTo('GET', /sessions/).map((entry) => entry.status)).toEqual([502, 0, 200]);
	}, 15_000);
});
