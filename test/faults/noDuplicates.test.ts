import { callApi } from '../support/rawEmulator';
import { nodeOutput, runNode } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';
import { SEND_FAULTS } from '../support/faultKinds';

/**
 * A create or follow-up that may have reached Blocks is never sent again: the API has no
 * idempotency key, so a repeat would start a second session or interrupt the agent twice.
 */
const api = useEmulator();

const ITEMS = 3;
const input = Array.from({ length: ITEMS }, (_, i) => ({ task: `task ${i}` }));
const onError = { onError: 'continueRegularOutput' as const };

describe.each(SEND_FAULTS)('under %s on every POST', (_name, fault) => {
	test(`${ITEMS} create items make at most ${ITEMS} sessions; an ambiguous failure says to check`, async () => {
		api.emulator.faults.add({ match: { method: 'POST' }, times: ITEMS, fault });

		const run = await runNode(
			{
				resource: 'session',
				operation: 'create',
				agentName: 'claude',
				message: '={{ $json.task }}',
			},
			{ credential: api.credential, input, node: onError },
		);

		const items = nodeOutput(run, 'Blocks');
		expect(items).toHaveLength(ITEMS);
		expect(api.emulator.stats().sessionsCreated).toBeLessThanOrEqual(ITEMS);
		const posts = api.requestsTo('POST', /^\/rest\/v1\/sessions$/);
		const retried = fault.kind === 'status' && fault.status === 429;
		expect(posts).toHaveLength(retried ? 2 * ITEMS : ITEMS);
		for (const item of items.filter((item) => item.json.error)) {
			expect(String(item.json.description)).toMatch(/may have created the session anyway/);
		}
	});

	test('each follow-up item is delivered at most once', async () => {
		const sessions = [];
		for (const { task } of input) {
			const created = await callApi(api.emulator.url, 'POST', '/rest/v1/sessions', {
				apiKey: api.apiKey,
				body: { agent_name: 'claude', message: task },
			});
			sessions.push({ sessionId: created.body.id });
		}
		api.emulator.faults.add({ match: { method: 'POST' }, times: ITEMS, fault });

		const run = await runNode(
			{
				resource: 'session',
				operation: 'sendMessage',
				sessionId: '={{ $json.sessionId }}',
				message: 'next',
			},
			{ credential: api.credential, input: sessions, node: onError },
		);

		expect(nodeOutput(run, 'Blocks')).toHaveLength(ITEMS);
		for (const { sessionId } of sessions)
			expect(api.emulator.followUpsFor(sessionId)).toBeLessThanOrEqual(1);
	});
});
