import { UUID } from '../../nodes/Blocks/helpers/validation';
import { BlocksEmulator, type AgentTurn } from '../../emulator';
import { callApi } from '../support/rawEmulator';
import { UNKNOWN_ID, useRawEmulator } from '../support/rawEmulator';

const raw = useRawEmulator();
const { api, createSession } = raw;

describe('authentication (§1, §12)', () => {
	test('a request without an Authorization header is refused with 401', async () => {
		const response = await api('POST', '/rest/v1/sessions', {
			apiKey: null,
			body: { agent_name: 'claude', message: 'x' },
		});
		expect(response.status).toBe(401);
		expect(response.body).toEqual({ error: 'Unauthorized' });
		expect(raw.emulator.stats().sessionsCreated).toBe(0);
	});

	test('a Bearer header is malformed for this API and refused with 401', async () => {
		const response = await api('GET', `/rest/v1/sessions/${UNKNOWN_ID}`, {
			authorization: `Bearer ${raw.emulator.apiKey}`,
		});
		expect(response.status).toBe(401);
	});

	test('an unknown key is refused with 403', async () => {
		const response = await api('GET', `/rest/v1/sessions/${UNKNOWN_ID}`, { apiKey: 'blk_wrong' });
		expect(response.status).toBe(403);
		expect(response.body).toEqual({ error: 'Forbidden' });
	});

	test('every configured key is accepted', async () => {
		const multiKey = await BlocksEmulator.start({ apiKeys: ['blk_one', 'blk_two'] });
		try {
			expect(multiKey.apiKey).toBe('blk_one');
			const response = await callApi(multiKey.url, 'POST', '/rest/v1/sessions', {
				apiKey: 'blk_two',
				body: { agent_name: 'codex', message: 'hi' },
			});
			expect(response.status).toBe(200);
		} finally {
			await multiKey.close();
		}
	});
});

describe('create session (§3.1)', () => {
	test('answers 200 with the session object and the four polling links', async () => {
		const response = await createSession({ title: 'Octopus fun fact' });
		expect(response.status).toBe(200);
		const session = response.body;
		expect(session).toMatchObject({
			id: expect.stringMatching(UUID),
			title: 'Octopus fun fact',
			pull_requests: [],
			source_url: null,
			is_archived: false,
			is_private: false,
			thread_id: expect.stringMatching(UUID),
			session_group_id: null,
		});
		expect(session.session_html_url).toBe(`https://blocks.team/app/sessions/${session.id}`);
		expect(new Date(session.created_at).toISOString()).toBe(session.created_at);
		const root = `${raw.emulator.url}/rest/v1/sessions/${session.id}`;
		const thread = `${root}/threads/${session.thread_id}/messages`;
		expect(session._links).toEqual({
			self: { href: root },
			messages: { href: `${root}/messages` },
			thread: { href: thread },
			final_message: { href: `${thread}?type=final_message&role=assistant` },
		});
	});

	test.each([
		['a missing message', { message: undefined }, 400, /^message is required/],
		['an empty message', { message: '  ' }, 400, /^message is required/],
		['no agent selector', { agent_name: undefined }, 400, /agent_name, agent_id, profile/],
		['two agent selectors', { agent_id: UNKNOWN_ID }, 400, /Exactly one of/],
		['an unknown agent_name', { agent_name: 'sisyphus' }, 400, /^agent_name must be one of/],
		['a non-UUID agent_id', { agent_name: undefined, agent_id: 'my-agent' }, 422, /^agent_id/],
		['a profile that is not an object', { agent_name: undefined, profile: 'x' }, 422, /^profile/],
		['a title over 200 characters', { title: 'x'.repeat(201) }, 422, /^title/],
		['a non-boolean is_private', { is_private: 'yes' }, 422, /^is_private/],
		['artifact_ids that are not UUIDs', { artifact_ids: ['a1'] }, 422, /^artifact_ids/],
	])('rejects %s, naming the field', async (_name, override, status, message) => {
		const response = await createSession(override);
		expect(response.status).toBe(status);
		expect(response.body).toEqual({ error: expect.stringMatching(message) });
		expect(raw.emulator.stats().sessionsCreated).toBe(0);
	});

	test('rejects a body that is not JSON with 400', async () => {
		const response = await fetch(`${raw.emulator.url}/rest/v1/sessions`, {
			method: 'POST',
			headers: {
				authorization: `ApiKey ${raw.emulator.apiKey}`,
				'content-type': 'application/json',
			},
			body: '{"agent_name": "claude", "message": ',
		});
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({ error: 'Request body must be valid JSON' });
	});

	test.each([
		['agent_name', { agent_name: 'gemini' }, 'gemini'],
		['agent_id', { agent_name: undefined, agent_id: UNKNOWN_ID }, UNKNOWN_ID],
		['profile', { agent_name: undefined, profile: { name: 'reviewer' } }, 'profile'],
	])(
		'accepts %s as the only agent selector and hands it to the agent',
		async (_name, override, agent) => {
			const turns: AgentTurn[] = [];
			raw.emulator.setAgent((turn) => {
				turns.push(turn);
				return { reply: 'ok' };
			});
			const response = await createSession(override);
			expect(response.status).toBe(200);
			expect(turns).toEqual([
				{
					sessionId: response.body.id,
					threadId: response.body.thread_id,
					message: 'Hello',
					agent,
					turnIndex: 0,
				},
			]);
		},
	);

	test('is_private is echoed back', async () => {
		const response = await createSession({ is_private: true });
		expect(response.body.is_private).toBe(true);
	});

	test('the reply appears on the final_message link only when the turn finishes', async () => {
		raw.emulator.setAgent(() => ({ manual: true }));
		const session = (await createSession()).body;
		const finalMessageHref = session._links.final_message.href;

		const whileRunning = await api('GET', finalMessageHref);
		expect(whileRunning.body.items).toEqual([]);
		expect(whileRunning.body.meta.total).toBe(0);
		expect(raw.emulator.threadState(session.thread_id)).toEqual({
			status: 'running',
			readyAtMs: null,
		});

		const beforeFinish = Date.now();
		raw.emulator.finishTurn(session.thread_id, 'Octopuses have three hearts.');
		const afterFinish = await api('GET', finalMessageHref);
		expect(afterFinish.body.items).toEqual([
			expect.objectContaining({
				chat_id: session.id,
				chat_thread_id: session.thread_id,
				role: 'assistant',
				type: 'final_message',
				message: 'Octopuses have three hearts.',
				ts: expect.any(Number),
			}),
		]);
		const state = raw.emulator.threadState(session.thread_id);
		expect(state.status).toBe('replied');
		expect(state.readyAtMs).toBeGreaterThanOrEqual(beforeFinish);
	});

	test('the default agent echoes the message', async () => {
		const session = (await createSession({ message: 'ping' })).body;
		const finalMessage = await api('GET', session._links.final_message.href);
		expect(finalMessage.body.items[0].message).toBe('You said: ping');
	});
});

describe('get session (§3.2)', () => {
	test('has null thread fields and plan_artifact_ids', async () => {
		const created = (await createSession()).body;
		const response = await api('GET', `/rest/v1/sessions/${created.id}`);
		expect(response.status).toBe(200);
		expect(response.body).toMatchObject({
			id: created.id,
			thread_id: null,
			plan_artifact_ids: [],
			session_group_id: null,
		});
		expect(response.body._links).toEqual({
			self: created._links.self,
			messages: created._links.messages,
			thread: null,
			final_message: null,
		});
	});

	test('updated_at moves when the agent replies', async () => {
		raw.emulator.setAgent(() => ({ manual: true }));
		const created = (await createSession()).body;
		const before = (await api('GET', `/rest/v1/sessions/${created.id}`)).body.updated_at;
		raw.emulator.finishTurn(created.thread_id, 'done');
		const after = (await api('GET', `/rest/v1/sessions/${created.id}`)).body.updated_at;
		expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
	});

	test('an unknown session is 404', async () => {
		const response = await api('GET', `/rest/v1/sessions/${UNKNOWN_ID}`);
		expect(response.status).toBe(404);
		expect(response.body).toEqual({ error: `Session ${UNKNOWN_ID} not found` });
	});

	test('a session id that is not a UUID is 422', async () => {
		expect((await api('GET', '/rest/v1/sessions/not-a-uuid')).status).toBe(422);
	});
});

describe('follow-up (§3.3, §5)', () => {
	test('opens a new thread with a new task and answers with its polling links', async () => {
		const session = (await createSession()).body;
		const response = await api('POST', `/rest/v1/sessions/${session.id}/messages`, {
			body: { message: 'And cuttlefish?' },
		});
		expect(response.status).toBe(200);
		const followUp = response.body;
		expect(followUp).toMatchObject({
			id: expect.stringMatching(UUID),
			chat_id: session.id,
			chat_thread_id: expect.stringMatching(UUID),
			task_id: expect.stringMatching(UUID),
			role: 'user',
			type: 'message',
			message: 'And cuttlefish?',
			ts: null,
		});
		expect(followUp.chat_thread_id).not.toBe(session.thread_id);
		const thread = `${raw.emulator.url}/rest/v1/sessions/${session.id}/threads/${followUp.chat_thread_id}/messages`;
		expect(followUp._links).toEqual({
			self: { href: `${raw.emulator.url}/rest/v1/sessions/${session.id}/messages` },
			thread: { href: thread },
			final_message: { href: `${thread}?type=final_message&role=assistant` },
		});
		const reply = await api('GET', followUp._links.final_message.href);
		expect(reply.body.items[0]).toMatchObject({
			message: 'You said: And cuttlefish?',
			task_id: followUp.task_id,
		});
	});

	test('a follow-up gets a task id different from the first turn', async () => {
		const session = (await createSession()).body;
		const firstReply = (await api('GET', session._links.final_message.href)).body.items[0];
		const followUp = (
			await api('POST', `/rest/v1/sessions/${session.id}/messages`, { body: { message: 'more' } })
		).body;
		expect(followUp.task_id).not.toBe(firstReply.task_id);
	});

	test('a follow-up interrupts the running turn, which never gets a final message', async () => {
		raw.emulator.setAgent(() => ({ manual: true }));
		const session = (await createSession()).body;
		await api('POST', `/rest/v1/sessions/${session.id}/messages`, {
			body: { message: 'stop, do this instead' },
		});
		expect(raw.emulator.threadState(session.thread_id).status).toBe('interrupted');
		expect(() => raw.emulator.finishTurn(session.thread_id, 'late')).toThrow(/No running thread/);
		expect((await api('GET', session._links.final_message.href)).body.items).toEqual([]);
	});

	test('a follow-up interrupts a reply still waiting for its delay', async () => {
		raw.emulator.setAgent((turn) =>
			turn.turnIndex === 0 ? { reply: 'slow', delayMs: 60_000 } : { reply: 'fast' },
		);
		const session = (await createSession()).body;
		expect(raw.emulator.pendingTimers()).toBe(1);
		await api('POST', `/rest/v1/sessions/${session.id}/messages`, { body: { message: 'next' } });
		expect(raw.emulator.threadState(session.thread_id).status).toBe('interrupted');
		expect(raw.emulator.pendingTimers()).toBe(0);
	});

	test('the agent sees follow-ups with increasing turn indexes', async () => {
		const turnIndexes: number[] = [];
		raw.emulator.setAgent((turn) => {
			turnIndexes.push(turn.turnIndex);
			return { reply: 'ok' };
		});
		const session = (await createSession()).body;
		for (const message of ['two', 'three']) {
			await api('POST', `/rest/v1/sessions/${session.id}/messages`, { body: { message } });
		}
		expect(turnIndexes).toEqual([0, 1, 2]);
		expect(raw.emulator.followUpsFor(session.id)).toBe(2);
	});

	test('a follow-up on an unknown session is 404', async () => {
		const response = await api('POST', `/rest/v1/sessions/${UNKNOWN_ID}/messages`, {
			body: { message: 'hi' },
		});
		expect(response.status).toBe(404);
	});

	test('an empty follow-up message is 400 and interrupts nothing', async () => {
		raw.emulator.setAgent(() => ({ manual: true }));
		const session = (await createSession()).body;
		const response = await api('POST', `/rest/v1/sessions/${session.id}/messages`, {
			body: { message: '' },
		});
		expect(response.status).toBe(400);
		expect(response.body).toEqual({ error: 'message is required' });
		expect(raw.emulator.threadState(session.thread_id).status).toBe('running');
	});
});

test('an unknown route answers 404 JSON', async () => {
	const response = await api('GET', '/rest/v1/workspaces');
	expect(response.status).toBe(404);
	expect(response.headers.get('content-type')).toMatch(/application\/json/);
	expect(response.body).toEqual({ error: 'No route for GET /rest/v1/workspaces' });
});
