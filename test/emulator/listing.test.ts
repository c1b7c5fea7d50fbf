import { BlocksEmulator } from '../../emulator';
import { callApi, type CallOptions, type JsonBody } from '../support/rawEmulator';

let emulator: BlocksEmulator;
const api = (method: string, path: string, options: CallOptions = {}) =>
	callApi(emulator.url, method, path, { apiKey: emulator.apiKey, ...options });

/**
 * One session, two finished turns; the first turn also made a tool call. With the §2 system notice
 * the history is: notice, user0, tool_call0, message0, final0, user1, message1, final1.
 */
interface Conversation {
	sessionId: string;
	firstThread: string;
	secondThread: string;
	/** The session-wide listing with this query string. */
	list(query?: string): Promise<JsonBody>;
}
let conversation: Conversation;

beforeAll(async () => {
	emulator = await BlocksEmulator.start({
		rateLimit: false,
		agent: (turn) => ({
			reply: `reply ${turn.turnIndex}`,
			toolCalls: turn.turnIndex === 0 ? [{ name: 'read_file', args: { path: 'README.md' } }] : [],
		}),
	});
	const session = (
		await api('POST', '/rest/v1/sessions', { body: { agent_name: 'claude', message: 'first' } })
	).body;
	const followUp = (
		await api('POST', `/rest/v1/sessions/${session.id}/messages`, { body: { message: 'second' } })
	).body;
	conversation = {
		sessionId: session.id,
		firstThread: session.thread_id,
		secondThread: followUp.chat_thread_id,
		list: async (query = '') =>
			(await api('GET', `/rest/v1/sessions/${session.id}/messages?${query}`)).body,
	};
});
afterAll(() => emulator.close());

const summary = (items: JsonBody[]) =>
	items.map((item) => `${item.role}:${item.type}:${item.message}`);

describe('filters (§3.4)', () => {
	test('by default lists assistant message and final_message items in ascending ts order', async () => {
		const { items } = await conversation.list();
		expect(summary(items)).toEqual([
			'assistant:message:Sandbox started.',
			'assistant:message:reply 0',
			'assistant:final_message:reply 0',
			'assistant:message:reply 1',
			'assistant:final_message:reply 1',
		]);
		const stamps = items.map((item: JsonBody) => item.ts);
		expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
		expect(new Set(stamps).size).toBe(stamps.length);
	});

	test('the system notice is outside every thread', async () => {
		const { items } = await conversation.list();
		expect(items[0].chat_thread_id).toBeNull();
	});

	test('tool_call items appear only when asked for, as a JSON string of the call', async () => {
		const { items } = await conversation.list('type=tool_call');
		expect(items).toHaveLength(1);
		expect(JSON.parse(items[0].message)).toEqual({ __name__: 'read_file', path: 'README.md' });
		expect(items[0].chat_thread_id).toBe(conversation.firstThread);
	});

	test('repeated role keys bring in user messages, whose ts is null', async () => {
		const { items } = await conversation.list('type=message&role=user&role=assistant');
		expect(summary(items)).toEqual([
			'assistant:message:Sandbox started.',
			'user:message:first',
			'assistant:message:reply 0',
			'user:message:second',
			'assistant:message:reply 1',
		]);
		expect(
			items.filter((item: JsonBody) => item.role === 'user').map((item: JsonBody) => item.ts),
		).toEqual([null, null]);
	});

	test('thread_id limits the listing to one thread', async () => {
		const { items } = await conversation.list(`thread_id=${conversation.secondThread}`);
		expect(summary(items)).toEqual([
			'assistant:message:reply 1',
			'assistant:final_message:reply 1',
		]);
	});

	test('an unknown thread_id gives empty items, not 404', async () => {
		const page = await conversation.list('thread_id=00000000-0000-4000-8000-000000000000');
		expect(page.items).toEqual([]);
		expect(page.meta.total).toBe(0);
	});

	test('type[] is a different key and is ignored', async () => {
		const ignored = await conversation.list('type[]=tool_call');
		const defaults = await conversation.list();
		expect(ignored.items).toEqual(defaults.items);
	});
});

describe('gts cursor (§3.4, §14.11)', () => {
	test('gts returns only items strictly newer than the cursor', async () => {
		const all = (await conversation.list()).items;
		const cursor = all[2].ts;
		const { items } = await conversation.list(`gts=${cursor}`);
		expect(items.map((item: JsonBody) => item.id)).toEqual(
			all.slice(3).map((item: JsonBody) => item.id),
		);
	});

	test('user messages never match gts because their ts is null', async () => {
		const { items } = await conversation.list('role=user&gts=0');
		expect(items).toEqual([]);
	});

	test('new_messages carries only gts, set to the newest ts on the page', async () => {
		const page = await conversation.list('type=final_message&limit=1&direction=desc');
		const listing = `${emulator.url}/rest/v1/sessions/${conversation.sessionId}/messages`;
		expect(page._links.new_messages.href).toBe(`${listing}?gts=${page.items[0].ts}`);
	});

	test('self drops the query parameters', async () => {
		const page = await conversation.list('type=final_message&page=1');
		expect(page._links.self.href).toBe(
			`${emulator.url}/rest/v1/sessions/${conversation.sessionId}/messages`,
		);
	});

	test('an empty page puts the current epoch second in new_messages', async () => {
		const before = Math.floor(Date.now() / 1000);
		const page = await conversation.list('gts=99999999999');
		const after = Math.floor(Date.now() / 1000);
		const cursor = Number(new URL(page._links.new_messages.href).searchParams.get('gts'));
		expect(Number.isInteger(cursor)).toBe(true);
		expect(cursor).toBeGreaterThanOrEqual(before);
		expect(cursor).toBeLessThanOrEqual(after);
	});
});

describe('pagination and order (§3.4, §14.6, §14.8)', () => {
	test('limit and page select a slice and meta describes the whole', async () => {
		const all = (await conversation.list()).items;
		const page = await conversation.list('limit=2&page=2');
		expect(page.items).toEqual(all.slice(2, 4));
		expect(page.meta).toEqual({ total: 5, page: 2, limit: 2, total_pages: 3 });
	});

	test('the default page size is 50', async () => {
		expect((await conversation.list()).meta.limit).toBe(50);
	});

	test('a page past the end is empty but keeps the total', async () => {
		const page = await conversation.list('page=9');
		expect(page.items).toEqual([]);
		expect(page.meta.total).toBe(5);
	});

	test('direction=desc lists newest first', async () => {
		const ascending = (await conversation.list()).items;
		const descending = (await conversation.list('direction=desc')).items;
		expect(descending).toEqual([...ascending].reverse());
	});

	test.each([
		['a comma list of types', 'type=message,final_message'],
		['an unknown type', 'type=thought'],
		['an unknown role', 'role=system'],
		['limit 0', 'limit=0'],
		['limit over 100', 'limit=101'],
		['a fractional limit', 'limit=2.5'],
		['page 0', 'page=0'],
		['a non-numeric page', 'page=two'],
		['an unknown direction', 'direction=newest'],
		['a non-numeric gts', 'gts=yesterday'],
		['a non-UUID thread_id', 'thread_id=abc'],
	])('rejects %s with 422', async (_name, query) => {
		const response = await api(
			'GET',
			`/rest/v1/sessions/${conversation.sessionId}/messages?${query}`,
		);
		expect(response.status).toBe(422);
	});

	test('the listing of an unknown session is 404', async () => {
		const response = await api(
			'GET',
			'/rest/v1/sessions/00000000-0000-4000-8000-000000000000/messages',
		);
		expect(response.status).toBe(404);
	});
});

describe('thread listing (§3.5)', () => {
	const threadPath = (sessionId: string, threadId: string) =>
		`/rest/v1/sessions/${sessionId}/threads/${threadId}/messages`;

	test('lists only that thread, with self and new_messages on the thread URL', async () => {
		const path = threadPath(conversation.sessionId, conversation.firstThread);
		const page = (await api('GET', `${path}?type=final_message`)).body;
		expect(summary(page.items)).toEqual(['assistant:final_message:reply 0']);
		expect(page._links.self.href).toBe(`${emulator.url}${path}`);
		expect(page._links.new_messages.href).toBe(`${emulator.url}${path}?gts=${page.items[0].ts}`);
	});

	test('ignores a thread_id query parameter', async () => {
		const path = threadPath(conversation.sessionId, conversation.firstThread);
		const page = (
			await api('GET', `${path}?type=final_message&thread_id=${conversation.secondThread}`)
		).body;
		expect(summary(page.items)).toEqual(['assistant:final_message:reply 0']);
	});

	test('a thread of another session is 404', async () => {
		const other = (
			await api('POST', '/rest/v1/sessions', { body: { agent_name: 'claude', message: 'other' } })
		).body;
		const response = await api('GET', threadPath(other.id, conversation.firstThread));
		expect(response.status).toBe(404);
	});

	test('an unknown thread is 404 and a non-UUID thread id is 422', async () => {
		const unknown = await api(
			'GET',
			threadPath(conversation.sessionId, '00000000-0000-4000-8000-000000000000'),
		);
		const malformed = await api('GET', threadPath(conversation.sessionId, 'latest'));
		expect([unknown.status, malformed.status]).toEqual([404, 422]);
	});
});
