import { BlocksEmulator } from '../../emulator';
import { callApi, type JsonBody } from '../support/rawEmulator';
import { nodeError, nodeOutput, runNode } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';

const api = useEmulator();
const create = (extra: Record<string, unknown> = {}) => ({
	resource: 'session',
	operation: 'create',
	agentName: 'claude',
	message: 'Fix the flaky test',
	...extra,
});
const sessionPosts = () => api.requestsTo('POST', /^\/rest\/v1\/sessions$/);

describe('Create Session', () => {
	test('creates one session with the chosen core agent and outputs the API session', async () => {
		const run = await runNode(create({ agentName: 'codex' }), { credential: api.credential });

		const [item] = nodeOutput(run, 'Blocks');
		expect(api.emulator.sessionIds()).toEqual([item.json.id]);
		expect(item.json).toMatchObject({ thread_id: expect.any(String), is_private: false });
		expect((item.json._links as JsonBody).final_message.href).toContain('type=final_message');
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	test('sends exactly one agent selector: a custom agent goes by agent_id alone', async () => {
		const agentId = '0f8fad5b-d9cb-469f-a165-70867728950e';
		const turns: string[] = [];
		api.emulator.setAgent((turn) => {
			turns.push(turn.agent);
			return { reply: 'ok' };
		});

		await runNode(create({ agentName: 'custom', agentId }), { credential: api.credential });

		expect(turns).toEqual([agentId]);
	});

	test('"Other (by Name)" sends the typed agent_name alone, for an agent Blocks added later', async () => {
		const turns: string[] = [];
		const later = await BlocksEmulator.start({
			moreAgentNames: ['sisyphus'],
			agent: (turn) => {
				turns.push(turn.agent);
				return { reply: 'ok' };
			},
		});
		try {
			const run = await runNode(create({ agentName: 'other', otherAgentName: ' sisyphus ' }), {
				credential: { apiKey: later.apiKey, baseUrl: later.url },
			});

			expect(nodeOutput(run, 'Blocks')[0].json).toMatchObject({ id: expect.any(String) });
			// The emulator answers 400 to more than one agent selector, as to none.
			expect(turns).toEqual(['sisyphus']);
		} finally {
			await later.close();
		}
	});

	test('an agent name Blocks does not know fails the item with Blocks’ 400, and nothing is created', async () => {
		const run = await runNode(create({ agentName: 'other', otherAgentName: 'sisyphus' }), {
			credential: api.credential,
		});

		expect(nodeError(run, 'Blocks')?.message).toMatch(
			/^Blocks rejected the request \(400 .*agent_name/,
		);
		expect(api.emulator.sessionIds()).toEqual([]);
	});

	test('sends the Session Group ID, and Blocks files the session under it', async () => {
		const groupId = '5b1f0c7e-2a4d-4e8b-9c3f-7d6a1e2b4c5d';
		const run = await runNode(
			create({ options: { session_group_id: ` ${groupId.toUpperCase()} ` } }),
			{
				credential: api.credential,
			},
		);

		const sessionId = String(nodeOutput(run, 'Blocks')[0].json.id);
		const read = await callApi(api.emulator.url, 'GET', `/rest/v1/sessions/${sessionId}`, {
			apiKey: api.apiKey,
		});
		expect(read.body.session_group_id).toBe(groupId);
	});

	test('sends the private, artifact and title options', async () => {
		const artifactId = api.emulator.addArtifact();
		const run = await runNode(
			create({
				options: { is_private: true, artifact_ids: ` ${artifactId} `, title: 'Nightly fix' },
			}),
			{ credential: api.credential },
		);

		const [item] = nodeOutput(run, 'Blocks');
		expect(item.json).toMatchObject({ is_private: true, title: 'Nightly fix' });
		const artifact = await callApi(
			api.emulator.url,
			'GET',
			`/rest/v1/sessions/${String(item.json.id)}/artifacts/${artifactId}`,
			{ apiKey: api.apiKey },
		);
		expect(artifact.status).toBe(200);
	});

	test('N input items create exactly N sessions, each output paired with its input', async () => {
		const input = [{ task: 'a' }, { task: 'b' }, { task: 'c' }];
		const run = await runNode(create({ message: '={{ "Task " + $json.task }}' }), {
			credential: api.credential,
			input,
		});

		const items = nodeOutput(run, 'Blocks');
		expect(api.emulator.stats().sessionsCreated).toBe(3);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items.map((item) => item.json.id)).toEqual(api.emulator.sessionIds());
	});

	test('with Wait for Reply on, outputs the reply item instead of the session', async () => {
		api.emulator.setAgent((turn) => ({ reply: `Done: ${turn.message}` }));
		const run = await runNode(create({ waitForReply: true }), { credential: api.credential });

		const [item] = nodeOutput(run, 'Blocks');
		const [sessionId] = api.emulator.sessionIds();
		expect(item.json).toMatchObject({
			status: 'replied',
			reply: 'Done: Fix the flaky test',
			session_id: sessionId,
			thread_id: expect.any(String),
			final_message: {
				type: 'final_message',
				role: 'assistant',
				message: 'Done: Fix the flaky test',
			},
			polls: 1,
		});
		expect(item.json.reply_url).toBe(
			`${api.emulator.url}/rest/v1/sessions/${sessionId}/threads/${item.json.thread_id}/messages?type=final_message&role=assistant`,
		);
		expect(item.json.waited_ms).toEqual(expect.any(Number));
	});

	test('a 429 on create is retried, and still only one session exists', async () => {
		api.emulator.faults.add({
			match: { method: 'POST', path: /^\/rest\/v1\/sessions$/ },
			fault: { kind: 'status', status: 429, headers: { 'Retry-After': '0' } },
		});
		const run = await runNode(create(), { credential: api.credential });

		expect(nodeOutput(run, 'Blocks')).toHaveLength(1);
		expect(sessionPosts().map((entry) => entry.status)).toEqual([429, 200]);
		expect(api.emulator.stats().sessionsCreated).toBe(1);
	});

	test.each([
		['a 500', { kind: 'status', status: 500 } as const],
		['a connection reset after Blocks applied it', { kind: 'resetAfter' } as const],
	])(
		'%s on create is not retried and the error says the session may exist',
		async (_name, fault) => {
			api.emulator.faults.add({ match: { method: 'POST' }, fault });
			const run = await runNode(create(), { credential: api.credential });

			const error = nodeError(run, 'Blocks');
			expect(error?.message).toMatch(/may have been applied/);
			expect(error?.description).toMatch(/may have created the session/);
			expect(sessionPosts()).toHaveLength(1);
		},
	);
});
