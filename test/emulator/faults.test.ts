import { BlocksEmulator } from '../../emulator';
import { callApi, type CallOptions, type JsonBody } from '../support/rawEmulator';

let emulator: BlocksEmulator;
const api = (method: string, path: string, options: CallOptions = {}) =>
	callApi(emulator.url, method, path, { apiKey: emulator.apiKey, ...options });
const createSession = () =>
	api('POST', '/rest/v1/sessions', { body: { agent_name: 'claude', message: 'Hello' } });
const UNKNOWN_SESSION_PATH = '/rest/v1/sessions/00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
	emulator = await BlocksEmulator.start({ rateLimit: false });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('exchange faults', () => {
	test('a status fault answers that status with an API-style error body and does not apply the request', async () => {
		emulator.faults.add({ fault: { kind: 'status', status: 503 } });
		const response = await createSession();
		expect(response.status).toBe(503);
		expect(response.body).toEqual({ error: 'Service Unavailable' });
		expect(emulator.stats().sessionsCreated).toBe(0);
		expect(emulator.requests[0]).toMatchObject({ status: 503, fault: 'status' });
	});

	test('a status fault sends the given body and headers, e.g. a 429 with an HTTP-date Retry-After', async () => {
		const retryAt = new Date(Date.now() + 2_000).toUTCString();
		emulator.faults.add({
			fault: {
				kind: 'status',
				status: 429,
				body: '{"error":"slow down"}',
				headers: { 'Retry-After': retryAt },
			},
		});
		const response = await api('GET', UNKNOWN_SESSION_PATH);
		expect(response.status).toBe(429);
		expect(response.headers.get('retry-after')).toBe(retryAt);
		expect(response.body).toEqual({ error: 'slow down' });
	});

	test('a rule applies `times` times and then the API answers normally', async () => {
		emulator.faults.add({ times: 2, fault: { kind: 'status', status: 502 } });
		const statuses = [];
		for (let attempt = 0; attempt < 3; attempt += 1)
			statuses.push((await api('GET', UNKNOWN_SESSION_PATH)).status);
		expect(statuses).toEqual([502, 502, 404]);
		expect(emulator.faults.applied()).toBe(2);
	});

	test('a rule with times Infinity keeps applying', async () => {
		emulator.faults.add({ times: Infinity, fault: { kind: 'status', status: 500 } });
		const statuses = [];
		for (let attempt = 0; attempt < 5; attempt += 1)
			statuses.push((await api('GET', UNKNOWN_SESSION_PATH)).status);
		expect(statuses).toEqual(Array(5).fill(500));
	});

	test('a rule applies only to requests its method and path match', async () => {
		emulator.faults.add({
			match: { method: 'post', path: /\/messages$/ },
			fault: { kind: 'status', status: 504 },
		});
		const session = (await createSession()).body;
		expect((await api('GET', `/rest/v1/sessions/${session.id}/messages`)).status).toBe(200);
		const followUp = await api('POST', `/rest/v1/sessions/${session.id}/messages`, {
			body: { message: 'again' },
		});
		expect(followUp.status).toBe(504);
		expect(emulator.followUpsFor(session.id)).toBe(0);
	});

	test('resetBefore drops the connection without applying the request', async () => {
		emulator.faults.add({ fault: { kind: 'resetBefore' } });
		await expect(createSession()).rejects.toThrow();
		expect(emulator.stats().sessionsCreated).toBe(0);
		expect(emulator.requests[0]).toMatchObject({ status: 0, fault: 'resetBefore' });
	});

	test('resetAfter applies the request and then drops the connection unanswered', async () => {
		emulator.faults.add({ fault: { kind: 'resetAfter' } });
		await expect(createSession()).rejects.toThrow();
		expect(emulator.stats().sessionsCreated).toBe(1);
		expect(emulator.requests[0]).toMatchObject({ status: 0, fault: 'resetAfter' });
	});

	test('stall holds the response for the given real time, then answers normally', async () => {
		const stallMs = 150;
		emulator.faults.add({ fault: { kind: 'stall', ms: stallMs } });
		const started = Date.now();
		const response = await createSession();
		expect(Date.now() - started).toBeGreaterThanOrEqual(stallMs - 5);
		expect(response.status).toBe(200);
		expect(response.body.id).toBe(emulator.sessionIds()[0]);
	});

	test('malformedJson answers 200 with a truncated JSON body', async () => {
		emulator.faults.add({ fault: { kind: 'malformedJson' } });
		const response = await createSession();
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/application\/json/);
		expect(() => JSON.parse(response.text)).toThrow(SyntaxError);
		expect(response.text.startsWith('{"id":')).toBe(true);
	});

	test('html answers a text/html error page with the given status', async () => {
		emulator.faults.add({ fault: { kind: 'html', status: 502 } });
		const response = await createSession();
		expect(response.status).toBe(502);
		expect(response.headers.get('content-type')).toMatch(/^text\/html/);
		expect(response.text).toMatch(/^<!DOCTYPE html>[\s\S]*502 Bad Gateway/);
		expect(emulator.stats().sessionsCreated).toBe(0);
	});
});

describe('response shape faults', () => {
	const notFoundMessage = `Session ${UNKNOWN_SESSION_PATH.split('/').at(-1)} not found`;

	test.each([
		['object', { error: { code: 'NOT_FOUND', message: notFoundMessage } }],
		['flat', { code: 'NOT_FOUND', message: notFoundMessage }],
	] as const)(
		'errorShape %s turns the error body into that JSON shape',
		async (shape, expected) => {
			emulator.faults.add({ fault: { kind: 'errorShape', shape } });
			const response = await api('GET', UNKNOWN_SESSION_PATH);
			expect(response.status).toBe(404);
			expect(response.headers.get('content-type')).toMatch(/^application\/json/);
			expect(response.body).toEqual(expected);
			expect(emulator.requests[0].fault).toBe('errorShape');
		},
	);

	test('errorShape html answers the API’s own error as a proxy-style HTML page', async () => {
		emulator.faults.add({ fault: { kind: 'errorShape', shape: 'html' } });
		const response = await api('GET', UNKNOWN_SESSION_PATH);
		expect(response.status).toBe(404);
		expect(response.headers.get('content-type')).toMatch(/^text\/html/);
		expect(response.text).toMatch(/^<!DOCTYPE html>[\s\S]*404 Not Found/);
		expect(response.body).toBeUndefined();
	});

	test('errorShape none sends an empty error body', async () => {
		emulator.faults.add({ fault: { kind: 'errorShape', shape: 'none' } });
		const response = await api('GET', UNKNOWN_SESSION_PATH);
		expect(response.status).toBe(404);
		expect(response.text).toBe('');
	});

	test('errorShape string brings back the default body on an emulator started with another shape', async () => {
		const objectShaped = await BlocksEmulator.start({ rateLimit: false, errorShape: 'object' });
		try {
			objectShaped.faults.add({ fault: { kind: 'errorShape', shape: 'string' } });
			const first = await callApi(objectShaped.url, 'GET', UNKNOWN_SESSION_PATH, {
				apiKey: objectShaped.apiKey,
			});
			const second = await callApi(objectShaped.url, 'GET', UNKNOWN_SESSION_PATH, {
				apiKey: objectShaped.apiKey,
			});
			expect(first.body).toEqual({ error: notFoundMessage });
			expect(second.body).toEqual({ error: { code: 'NOT_FOUND', message: notFoundMessage } });
		} finally {
			await objectShaped.close();
		}
	});

	test('errorShape keeps the error’s headers, e.g. a 429’s Retry-After', async () => {
		const limited = await BlocksEmulator.start({
			rateLimit: { limit: 1, windowMs: 60_000 },
			retryAfterSeconds: 7,
		});
		try {
			const call = () =>
				callApi(limited.url, 'GET', UNKNOWN_SESSION_PATH, { apiKey: limited.apiKey });
			await call();
			limited.faults.add({ fault: { kind: 'errorShape', shape: 'html' } });
			const refused = await call();
			expect(refused.status).toBe(429);
			expect(refused.headers.get('retry-after')).toBe('7');
			expect(refused.text).toMatch(/429 Too Many Requests/);
		} finally {
			await limited.close();
		}
	});

	test('errorShape waits for the next error response and then expires', async () => {
		emulator.faults.add({ fault: { kind: 'errorShape', shape: 'flat' } });
		expect((await createSession()).status).toBe(200);
		expect((await api('GET', UNKNOWN_SESSION_PATH)).body).toHaveProperty('code', 'NOT_FOUND');
		expect((await api('GET', UNKNOWN_SESSION_PATH)).body).toEqual({ error: notFoundMessage });
	});

	test('extraFields adds an unknown field to every JSON object in the response', async () => {
		const session = (await createSession()).body;
		emulator.faults.add({ fault: { kind: 'extraFields' } });
		const page = (await api('GET', `/rest/v1/sessions/${session.id}/messages`)).body;
		const objects = [page, page.meta, page._links, page._links.self, ...page.items];
		for (const object of objects) expect(object).toHaveProperty('x_emulator_unknown_field');
		expect(emulator.requests.at(-1)?.fault).toBe('extraFields');
	});

	test.each([
		['ids', expect.stringMatching(/^[0-9a-f-]{36}$/)],
		['urls', expect.stringMatching(/^https:\/\/github\.com\/.+\/pull\/\d+$/)],
		['objects', { url: expect.any(String), status: 'open' }],
	] as const)('pullRequests %s sets the element type of pull_requests', async (form, element) => {
		const session = (await createSession()).body;
		emulator.faults.add({ fault: { kind: 'pullRequests', as: form } });
		const { pull_requests: pullRequests } = (await api('GET', `/rest/v1/sessions/${session.id}`))
			.body;
		expect(pullRequests).toEqual([element]);
	});
});

describe('turn faults', () => {
	test('hugeReply makes the next reply at least that many bytes', async () => {
		const bytes = 2_000_000;
		emulator.faults.add({ fault: { kind: 'hugeReply', bytes } });
		const session = (await createSession()).body;
		const [reply] = (await api('GET', session._links.final_message.href)).body.items;
		expect(reply.message.startsWith('You said: Hello')).toBe(true);
		expect(Buffer.byteLength(reply.message)).toBeGreaterThanOrEqual(bytes);
		expect(emulator.requests[0].fault).toBe('hugeReply');
	});

	test('hugeReply also pads a manual reply', async () => {
		emulator.setAgent(() => ({ manual: true }));
		emulator.faults.add({ fault: { kind: 'hugeReply', bytes: 10_000 } });
		const session = (await createSession()).body;
		emulator.finishTurn(session.thread_id, 'short');
		const [reply] = (await api('GET', session._links.final_message.href)).body.items;
		expect(reply.message).toHaveLength(10_000);
	});

	test('nullTs stores the turn’s assistant items with ts null, so gts never selects them', async () => {
		emulator.faults.add({ fault: { kind: 'nullTs' } });
		const session = (await createSession()).body;
		const threadPage = (await api('GET', session._links.thread.href)).body;
		expect(threadPage.items.map((item: JsonBody) => item.ts)).toEqual([null, null]);
		expect((await api('GET', `${session._links.thread.href}?gts=0`)).body.items).toEqual([]);
	});
});

describe('listing faults', () => {
	/** A session and a follow-up, so that a listing can mix up their two threads. */
	async function twoThreads() {
		const session = (await createSession()).body;
		const followUp = (
			await api('POST', `/rest/v1/sessions/${session.id}/messages`, { body: { message: 'More' } })
		).body;
		return { session, followUp };
	}
	const threadsIn = async (path: string) =>
		new Set((await api('GET', path)).body.items.map((item: JsonBody) => item.chat_thread_id));

	test('ignoreThreadFilter answers a thread listing with every thread of the session, once', async () => {
		const { session, followUp } = await twoThreads();
		emulator.faults.add({ fault: { kind: 'ignoreThreadFilter' } });
		expect(await threadsIn(followUp._links.final_message.href)).toEqual(
			new Set([session.thread_id, followUp.chat_thread_id]),
		);
		expect(emulator.requests.at(-1)?.fault).toBe('ignoreThreadFilter');
		expect(await threadsIn(followUp._links.final_message.href)).toEqual(
			new Set([followUp.chat_thread_id]),
		);
	});

	test('ignoreThreadFilter also drops the thread_id filter of a session listing', async () => {
		const { session } = await twoThreads();
		const listing = `/rest/v1/sessions/${session.id}/messages?type=final_message&thread_id=${session.thread_id}`;

		emulator.faults.add({ fault: { kind: 'ignoreThreadFilter' } });
		expect((await api('GET', listing)).body.items).toHaveLength(2);
		expect((await api('GET', listing)).body.items).toHaveLength(1);
	});

	test('firstThreadLabels names the first thread on every listed item, once', async () => {
		const { session, followUp } = await twoThreads();
		emulator.faults.add({ fault: { kind: 'firstThreadLabels' } });
		expect(await threadsIn(followUp._links.thread.href)).toEqual(new Set([session.thread_id]));
		expect(await threadsIn(followUp._links.thread.href)).toEqual(
			new Set([followUp.chat_thread_id]),
		);
	});
});

describe('fault controller', () => {
	test('a rule can match the query string, so one listing of several fails alone', async () => {
		const session = (await createSession()).body;
		emulator.faults.add({
			match: { method: 'GET', query: /type=tool_call/ },
			fault: { kind: 'status', status: 500 },
		});
		expect((await api('GET', session._links.final_message.href)).status).toBe(200);
		expect((await api('GET', `${session._links.thread.href}?type=tool_call`)).status).toBe(500);
	});

	test('clear disarms every rule and resets the applied count', async () => {
		emulator.faults.add({ times: Infinity, fault: { kind: 'status', status: 500 } });
		await api('GET', UNKNOWN_SESSION_PATH);
		emulator.faults.clear();
		expect(emulator.faults.applied()).toBe(0);
		expect((await api('GET', UNKNOWN_SESSION_PATH)).status).toBe(404);
	});

	test('times below 1 is refused', () => {
		expect(() => emulator.faults.add({ times: 0, fault: { kind: 'resetBefore' } })).toThrow(
			RangeError,
		);
	});

	test('faults that land on the same request are all recorded', async () => {
		emulator.faults.add({ fault: { kind: 'status', status: 500 } });
		emulator.faults.add({ fault: { kind: 'errorShape', shape: 'flat' } });
		const response = await api('GET', UNKNOWN_SESSION_PATH);
		expect(response.body).toEqual({ code: 'INTERNAL', message: 'Internal Server Error' });
		expect(emulator.requests[0].fault).toBe('status+errorShape');
	});
});
