import { callApi } from '../support/rawEmulator';
import { nodeError, nodeOutput, runNode } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';

const api = useEmulator();

async function startSession(): Promise<{ id: string; thread_id: string }> {
	return await api.startSession('Refactor the parser');
}

describe('Send Message', () => {
	test('a follow-up opens a new thread and interrupts the running turn', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const session = await startSession();

		const run = await runNode(
			{
				resource: 'session',
				operation: 'sendMessage',
				sessionId: session.id,
				message: 'Stop, fix the tests first',
			},
			{ credential: api.credential },
		);

		const [item] = nodeOutput(run, 'Blocks');
		expect(item.json).toMatchObject({
			chat_id: session.id,
			role: 'user',
			message: 'Stop, fix the tests first',
		});
		expect(item.json.chat_thread_id).not.toBe(session.thread_id);
		expect(api.emulator.threadState(session.thread_id).status).toBe('interrupted');
		expect(api.emulator.followUpsFor(session.id)).toBe(1);
	});

	test('with Wait for Reply on, outputs the reply to the follow-up, not the earlier turn', async () => {
		api.emulator.setAgent((turn) => ({ reply: `turn ${turn.turnIndex}: ${turn.message}` }));
		const session = await startSession();

		const run = await runNode(
			{
				resource: 'session',
				operation: 'sendMessage',
				sessionId: session.id,
				message: 'And the docs',
				waitForReply: true,
			},
			{ credential: api.credential },
		);

		const [item] = nodeOutput(run, 'Blocks');
		expect(item.json).toMatchObject({
			status: 'replied',
			reply: 'turn 1: And the docs',
			session_id: session.id,
		});
		expect(item.json.thread_id).not.toBe(session.thread_id);
	});

	test('attaches artifact IDs given as an array by an expression', async () => {
		const session = await startSession();
		const artifactId = api.emulator.addArtifact();
		const artifactOfSession = () =>
			callApi(api.emulator.url, 'GET', `/rest/v1/sessions/${session.id}/artifacts/${artifactId}`, {
				apiKey: api.apiKey,
			});
		expect((await artifactOfSession()).status).toBe(404);

		const run = await runNode(
			{
				resource: 'session',
				operation: 'sendMessage',
				sessionId: session.id,
				message: 'Use the plan',
				options: { artifact_ids: `={{ ["${artifactId}"] }}` },
			},
			{ credential: api.credential },
		);

		expect(nodeOutput(run, 'Blocks')).toHaveLength(1);
		expect((await artifactOfSession()).status).toBe(200);
	});

	test('an unknown session is a 404 NodeApiError with a hint, sent once', async () => {
		const run = await runNode(
			{
				resource: 'session',
				operation: 'sendMessage',
				sessionId: '0f8fad5b-d9cb-469f-a165-70867728950e',
				message: 'hi',
			},
			{ credential: api.credential },
		);

		const error = nodeError(run, 'Blocks');
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '404' });
		expect(error?.message).toMatch(/no such session or thread \(404 Session \S+ not found\)/);
		expect(error?.description).toMatch(/Check the session/);
		expect(api.requestsTo('POST', /\/messages$/)).toHaveLength(1);
	});

	test('a 503 on a follow-up is not retried: the agent is never interrupted twice', async () => {
		const session = await startSession();
		api.emulator.faults.add({
			match: { method: 'POST', path: /\/messages$/ },
			fault: { kind: 'status', status: 503 },
		});

		const run = await runNode(
			{ resource: 'session', operation: 'sendMessage', sessionId: session.id, message: 'again' },
			{ credential: api.credential },
		);

		expect(nodeError(run, 'Blocks')?.description).toMatch(/may have delivered the follow-up/);
		expect(api.requestsTo('POST', /\/messages$/)).toHaveLength(1);
	});
});
