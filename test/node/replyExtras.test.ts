import type { INodeParameters } from 'n8n-workflow';

import type { JsonBody } from '../support/rawEmulator';
import { nodeError, nodeOutput, runNode } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';
import { onClock, VirtualClock } from '../support/virtualClock';

const api = useEmulator();
const PULL_REQUEST = 'https://github.com/acme/app/pull/42';

const createAndWait = (options: INodeParameters) => ({
	resource: 'session',
	operation: 'create',
	agentName: 'claude',
	message: 'Fix the flaky test and open a pull request',
	waitForReply: true,
	pollIntervalSeconds: 1,
	options,
});
const waitOn = (replyUrl: string, options: INodeParameters) => ({
	resource: 'session',
	operation: 'waitForReply',
	replyUrl,
	pollIntervalSeconds: 1,
	options,
});
const sessionReads = () => api.requestsTo('GET', /^\/rest\/v1\/sessions\/[^/]+$/);
const threadReads = () => api.requestsTo('GET', /\/threads\/.+\/messages$/);

const startTurn = () => api.startSession('Fix it');

describe('Include Session', () => {
	test('adds the pull requests the agent opened in the turn, read once after the reply', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		let planId: string | undefined;
		// The agent finishes while the wait sleeps after its first poll, opening a pull request
		// and writing a plan: neither exists when the session is created.
		const clock = new VirtualClock(() => {
			if (threadReads().length !== 1 || planId) return;
			planId = api.emulator.addArtifact(api.emulator.sessionIds()[0], { kind: 'plan' });
			api.emulator.finishTurn(polledThread(), 'Fixed it', [PULL_REQUEST]);
		});

		const run = await onClock(clock, () =>
			runNode(createAndWait({ includeSession: true }), { credential: api.credential }),
		);

		const [item] = nodeOutput(run, 'Blocks');
		const sessionId = api.emulator.sessionIds()[0];
		expect(item.json).toMatchObject({
			status: 'replied',
			reply: 'Fixed it',
			pull_requests: [PULL_REQUEST],
			pull_request_urls: [PULL_REQUEST],
			plan_artifact_ids: [planId],
			title: 'Fix the flaky test and open a pull request',
			session_html_url: expect.stringContaining(sessionId),
		});
		expect(item.json).not.toHaveProperty('include_errors');
		expect(sessionReads()).toHaveLength(1);
		expect(sessionReads()[0].path).toBe(`/rest/v1/sessions/${sessionId}`);
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	test('pull requests listed as {url, status} objects still give their links', async () => {
		api.emulator.setAgent(() => ({ reply: 'Opened', pullRequests: [PULL_REQUEST] }));
		const session = await startTurn();
		api.emulator.faults.add({
			match: { method: 'GET', path: /^\/rest\/v1\/sessions\/[^/]+$/ },
			fault: { kind: 'pullRequests', as: 'objects' },
		});

		const run = await runNode(waitOn(session._links.final_message.href, { includeSession: true }), {
			credential: api.credential,
		});

		expect(nodeOutput(run, 'Blocks')[0].json).toMatchObject({
			pull_requests: [{ url: PULL_REQUEST, status: 'open' }],
			pull_request_urls: [PULL_REQUEST],
		});
	});

	test('a session read that keeps failing does not lose the reply: the item says what is missing', async () => {
		api.emulator.setAgent(() => ({ reply: 'Fixed it', pullRequests: [PULL_REQUEST] }));
		const session = await startTurn();
		api.emulator.faults.add({
			match: { method: 'GET', path: /^\/rest\/v1\/sessions\/[^/]+$/ },
			times: Infinity,
			fault: { kind: 'status', status: 503 },
		});

		const run = await onClock(new VirtualClock(), () =>
			runNode(waitOn(session._links.final_message.href, { includeSession: true }), {
				credential: api.credential,
			}),
		);

		expect(nodeError(run, 'Blocks')).toBeUndefined();
		const [item] = nodeOutput(run, 'Blocks');
		expect(item.json).toMatchObject({
			status: 'replied',
			reply: 'Fixed it',
			pull_requests: null,
			pull_request_urls: null,
			plan_artifact_ids: null,
			title: null,
			session_html_url: null,
			include_errors: { session: expect.stringMatching(/503/) },
		});
		// A read is retried like any other, a bounded number of times.
		expect(sessionReads().length).toBeGreaterThan(1);
		expect(sessionReads().length).toBeLessThanOrEqual(6);
		expect(JSON.stringify(item.json)).not.toContain(api.apiKey);
	});

	test('a timed-out item reads nothing more: the turn has no pull requests yet', async () => {
		api.emulator.setAgent(() => ({ never: true }));
		const session = await startTurn();

		const run = await onClock(new VirtualClock(), () =>
			runNode(
				{
					...waitOn(session._links.final_message.href, {
						includeSession: true,
						includeTranscript: true,
					}),
					maxWaitSeconds: 2,
					onTimeout: 'output',
				},
				{ credential: api.credential },
			),
		);

		const [item] = nodeOutput(run, 'Blocks');
		expect(item.json.status).toBe('timed_out');
		expect(item.json).not.toHaveProperty('pull_requests');
		expect(item.json).not.toHaveProperty('transcript');
		expect(sessionReads()).toHaveLength(0);
		expect(threadReads()).toHaveLength(item.json.polls as number);
	});

	test('off by default: the wait makes no request beyond its polls', async () => {
		const run = await runNode(createAndWait({}), { credential: api.credential });

		const [item] = nodeOutput(run, 'Blocks');
		expect(item.json).not.toHaveProperty('pull_requests');
		expect(item.json).not.toHaveProperty('transcript');
		expect(sessionReads()).toHaveLength(0);
		expect(threadReads()).toHaveLength(item.json.polls as number);
	});
});

describe('Include Transcript', () => {
	test("the turn's tool calls and messages in order, the reply once", async () => {
		api.emulator.setAgent(() => ({
			reply: 'Fixed the test',
			toolCalls: [
				{ name: 'read_file', args: { path: 'test/flaky.test.ts' } },
				{ name: 'run_tests', args: {} },
			],
		}));

		const run = await runNode(createAndWait({ includeTranscript: true }), {
			credential: api.credential,
		});

		const transcript = nodeOutput(run, 'Blocks')[0].json.transcript as JsonBody[];
		expect(transcript.map((item) => [item.type, item.message])).toEqual([
			['tool_call', JSON.stringify({ __name__: 'read_file', path: 'test/flaky.test.ts' })],
			['tool_call', JSON.stringify({ __name__: 'run_tests' })],
			['message', 'Fixed the test'],
		]);
		expect(new Set(transcript.map((item) => item.role))).toEqual(new Set(['assistant']));
	});

	test("only the awaited turn's items, though the server ignores the thread filter", async () => {
		api.emulator.setAgent((turn) =>
			turn.turnIndex === 0
				? { reply: 'First answer', toolCalls: [{ name: 'first_tool' }] }
				: { reply: 'Second answer', toolCalls: [{ name: 'second_tool' }] },
		);
		const session = await startTurn();
		const sent = await api.sendFollowUp(session.id, 'And now?');
		api.emulator.faults.add({
			match: { method: 'GET' },
			times: Infinity,
			fault: { kind: 'ignoreThreadFilter' },
		});

		const run = await runNode(waitOn(sent._links.final_message.href, { includeTranscript: true }), {
			credential: api.credential,
		});

		const [item] = nodeOutput(run, 'Blocks');
		expect(item.json.reply).toBe('Second answer');
		expect((item.json.transcript as JsonBody[]).map((entry) => entry.message)).toEqual([
			JSON.stringify({ __name__: 'second_tool' }),
			'Second answer',
		]);
	});

	test('a long turn is read page by page, each item once', async () => {
		const toolCalls = Array.from({ length: 230 }, (_, index) => ({
			name: 'step',
			args: { index },
		}));
		api.emulator.setAgent(() => ({ reply: 'Done at last', toolCalls }));
		const session = await startTurn();

		const run = await runNode(
			waitOn(session._links.final_message.href, { includeTranscript: true }),
			{ credential: api.credential },
		);

		const transcript = nodeOutput(run, 'Blocks')[0].json.transcript as JsonBody[];
		expect(transcript).toHaveLength(231);
		expect(transcript.slice(0, 230).map((entry) => JSON.parse(entry.message).index)).toEqual(
			toolCalls.map((_, index) => index),
		);
		expect(transcript.at(-1)).toMatchObject({ type: 'message', message: 'Done at last' });
		const pages = threadReads()
			.map((entry) => new URLSearchParams(entry.query))
			.filter((query) => query.has('page'))
			.map((query) => [query.get('page'), query.get('limit')]);
		expect(pages).toEqual([
			['1', '100'],
			['2', '100'],
			['3', '100'],
		]);
	});

	test('with both options, a failed transcript read leaves the reply and the session fields in', async () => {
		api.emulator.setAgent(() => ({ reply: 'Fixed it', pullRequests: [PULL_REQUEST] }));
		const session = await startTurn();
		// Only the transcript's listing asks for tool calls; the wait's polls do not.
		api.emulator.faults.add({
			match: { method: 'GET', query: /type=tool_call/ },
			times: Infinity,
			fault: { kind: 'status', status: 500 },
		});

		const run = await onClock(new VirtualClock(), () =>
			runNode(
				waitOn(session._links.final_message.href, {
					includeSession: true,
					includeTranscript: true,
				}),
				{ credential: api.credential },
			),
		);

		const [item] = nodeOutput(run, 'Blocks');
		expect(item.json).toMatchObject({
			status: 'replied',
			reply: 'Fixed it',
			pull_request_urls: [PULL_REQUEST],
			transcript: null,
			include_errors: { transcript: expect.stringMatching(/500/) },
		});
		expect(item.json.include_errors).not.toHaveProperty('session');
	});
});

/** The thread of the first poll: `/rest/v1/sessions/<session>/threads/<thread>/messages`. */
function polledThread(): string {
	return threadReads()[0].path.split('/')[6];
}
