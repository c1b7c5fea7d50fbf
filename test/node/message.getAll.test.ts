import { callApi } from '../support/rawEmulator';
import { nodeOutput, runNode } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';

const api = useEmulator({ rateLimit: false, systemNotice: false });

/** A session with `turns` finished turns: each has a user message and the agent's reply. */
async function conversation(turns: number): Promise<{ id: string; threadIds: string[] }> {
	api.emulator.setAgent((turn) => ({
		reply: `reply ${turn.turnIndex}`,
		toolCalls: [{ name: 'bash' }],
	}));
	const call = (path: string, message: string) =>
		callApi(api.emulator.url, 'POST', path, {
			apiKey: api.apiKey,
			body: { agent_name: 'claude', message },
		});
	const created = (await call('/rest/v1/sessions', 'ask 0')).body;
	const threadIds = [created.thread_id];
	for (let i = 1; i < turns; i++) {
		threadIds.push(
			(await call(`/rest/v1/sessions/${created.id}/messages`, `ask ${i}`)).body.chat_thread_id,
		);
	}
	return { id: created.id, threadIds };
}

const listings = () => api.requestsTo('GET', /\/messages$/);
const getAll = (extra: Record<string, unknown>) => ({
	resource: 'message',
	operation: 'getAll',
	...extra,
});

describe('Message: Get Many', () => {
	test('Return All walks every page and outputs one item per message, oldest first', async () => {
		const session = await conversation(60);

		const run = await runNode(
			getAll({
				sessionId: session.id,
				returnAll: true,
				filters: { role: 'any', type: ['message'] },
			}),
			{ credential: api.credential },
		);

		const items = nodeOutput(run, 'Blocks');
		expect(items).toHaveLength(120);
		expect(items[0].json).toMatchObject({ role: 'user', message: 'ask 0' });
		expect(items[119].json).toMatchObject({ role: 'assistant', message: 'reply 59' });
		expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(listings().map((entry) => new URLSearchParams(entry.query).get('page'))).toEqual([
			'1',
			'2',
		]);
	});

	test('filters go out as repeated keys, never comma lists', async () => {
		const session = await conversation(1);

		await runNode(
			getAll({
				sessionId: session.id,
				filters: { type: ['message', 'tool_call'], role: 'any', since: 1 },
			}),
			{ credential: api.credential },
		);

		const query = new URLSearchParams(listings()[0].query);
		expect(query.getAll('type')).toEqual(['message', 'tool_call']);
		expect(query.getAll('role')).toEqual(['user', 'assistant']);
		expect(query.get('gts')).toBe('1');
		expect(query.get('direction')).toBe('asc');
	});

	test('a limit above the page maximum is asked for in pages of 100', async () => {
		const session = await conversation(60);

		const run = await runNode(
			getAll({ sessionId: session.id, limit: 5000, filters: { role: 'any', type: ['message'] } }),
			{ credential: api.credential },
		);

		expect(nodeOutput(run, 'Blocks')).toHaveLength(120);
		expect(
			listings().map((entry) => {
				const query = new URLSearchParams(entry.query);
				return [query.get('page'), query.get('limit')];
			}),
		).toEqual([
			['1', '100'],
			['2', '100'],
		]);
	});

	test('a limit past one page keeps one page size, so the second page does not overlap the first', async () => {
		const session = await conversation(60);

		const run = await runNode(
			getAll({ sessionId: session.id, limit: 150, filters: { role: 'any', type: ['message'] } }),
			{ credential: api.credential },
		);

		const items = nodeOutput(run, 'Blocks');
		expect(items).toHaveLength(120);
		expect(new Set(items.map((item) => item.json.id)).size).toBe(120);
		expect(listings().map((entry) => new URLSearchParams(entry.query).get('limit'))).toEqual([
			'100',
			'100',
		]);
	});

	test('a limit returns at most that many messages with one request', async () => {
		const session = await conversation(5);

		const run = await runNode(getAll({ sessionId: session.id, limit: 3 }), {
			credential: api.credential,
		});

		expect(nodeOutput(run, 'Blocks')).toHaveLength(3);
		expect(listings()).toHaveLength(1);
		expect(new URLSearchParams(listings()[0].query).get('limit')).toBe('3');
	});

	test('a thread ID lists that turn only, through the thread URL', async () => {
		const session = await conversation(3);

		const run = await runNode(
			getAll({
				sessionId: session.id,
				threadId: session.threadIds[1],
				filters: { type: ['final_message'] },
			}),
			{ credential: api.credential },
		);

		expect(nodeOutput(run, 'Blocks').map((item) => item.json.message)).toEqual(['reply 1']);
		expect(listings()[0].path).toBe(
			`/rest/v1/sessions/${session.id}/threads/${session.threadIds[1]}/messages`,
		);
	});

	test('a deployment that lists newest first still gives the messages oldest first', async () => {
		const session = await conversation(1);
		const message = (id: string, ts: number) => ({ id, type: 'message', role: 'assistant', ts });
		// Contract §14.6: the default order is undocumented; this deployment ignores `direction`.
		api.emulator.faults.add({
			match: { method: 'GET' },
			fault: {
				kind: 'status',
				status: 200,
				body: JSON.stringify({
					items: [message('c', 300), message('b', 200), message('a', 100)],
					meta: { total_pages: 1 },
				}),
			},
		});

		const run = await runNode(getAll({ sessionId: session.id }), { credential: api.credential });

		expect(nodeOutput(run, 'Blocks').map((item) => item.json.id)).toEqual(['a', 'b', 'c']);
	});
});
