import type { IDataObject, INodeParameters } from 'n8n-workflow';

import {
	AI_AGENT_TYPE,
	asAiTool,
	nodeOutput,
	scriptedAgent,
	subNodeAgent,
	type AgentScript,
	type ToolCallSeen,
} from '../engine';
import { Blocks } from '../../nodes/Blocks/Blocks.node';
import { AI_AGENT, aiAgentWorkflow } from '../support/aiAgentWorkflow';
import { runBlocks } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';
import { NODE_TYPE } from '../../nodes/Blocks/identity';

const api = useEmulator();

const ASK = 'Ask a coding agent';
const CHECK = 'Check on a coding agent';
const SEND = 'Tell a coding agent';

/** The tools of the example workflow, their fields filled by the model through $fromAI(). */
const askParameters = (more: INodeParameters = {}): INodeParameters => ({
	resource: 'session',
	operation: 'create',
	agentName: 'claude',
	message: "={{ $fromAI('message', 'What the coding agent should do', 'string') }}",
	waitForReply: true,
	pollIntervalSeconds: 1,
	...more,
});
const checkParameters = (more: INodeParameters = {}): INodeParameters => ({
	resource: 'session',
	operation: 'waitForReply',
	replyUrl: "={{ $fromAI('reply_url', 'The reply URL an earlier answer gave', 'string') }}",
	pollIntervalSeconds: 1,
	...more,
});

/** Runs the agent with its scripted model; returns every tool call with what the model read. */
async function runAgent(
	tools: Record<string, INodeParameters>,
	script: AgentScript,
): Promise<ToolCallSeen[]> {
	const run = await runBlocks(aiAgentWorkflow(tools), {
		credential: api.credential,
		nodeTypes: {
			[`${NODE_TYPE}Tool`]: asAiTool(new Blocks()),
			[AI_AGENT_TYPE]: agentKind(script),
		},
	});
	const [out] = nodeOutput(run, AI_AGENT);
	return (out.json as unknown as { seen: ToolCallSeen[] }).seen;
}

/** A model that makes these calls in order, each chosen from the results before it. */
function calls(
	...steps: Array<(seen: ToolCallSeen[]) => ToolCallSeen | Omit<ToolCallSeen, 'result'>>
) {
	return (seen: ToolCallSeen[]) => steps[seen.length]?.(seen);
}

const answer = (call: ToolCallSeen): IDataObject => {
	if (!Array.isArray(call.result)) throw new Error(`the model read ${JSON.stringify(call)}`);
	const items = call.result as IDataObject[];
	expect(items).toHaveLength(1);
	return items[0];
};

const creates = () => api.requestsTo('POST', /\/sessions$/);
const polls = () => api.requestsTo('GET', /\/threads\/.+\/messages$/);
/** A wait that ends at a 1 s deadline polls once or twice (pollSchedule.ts); an uncapped one goes on. */
const MOST_POLLS_IN_ONE_SECOND = 3;

/** The agent of the tests under way: n8n calls tools in two ways (test/engine/aiAgent.ts). */
let agentKind = scriptedAgent;

describe.each([
	['run by the engine (AI Agent v3)', scriptedAgent],
	['invoked as a sub-node (earlier agents)', subNodeAgent],
])('as a tool of the AI Agent, %s', (_, kind) => {
	beforeAll(() => {
		agentKind = kind;
	});

	test('the session starts with the message the model chose, and the model reads the reply, compactly', async () => {
		const asked: string[] = [];
		api.emulator.setAgent((turn) => {
			asked.push(turn.message);
			return { reply: `Done: ${turn.message}`, delayMs: 200 };
		});
		const [ask] = await runAgent(
			{ [ASK]: askParameters() },
			calls(() => ({ tool: ASK, args: { message: 'Add a health check endpoint' } })),
		);
		expect(asked).toEqual(['Add a health check endpoint']);
		const reply = answer(ask);
		const [sessionId] = api.emulator.sessionIds();
		expect(reply).toEqual({
			status: 'replied',
			reply: 'Done: Add a health check endpoint',
			session_id: sessionId,
			reply_url: expect.stringMatching(
				new RegExp(
					`^${api.emulator.url}/rest/v1/sessions/${sessionId}/threads/[0-9a-f-]{36}/messages\\?`,
				),
			),
			session_url: expect.stringContaining(sessionId),
		});
	});

	test('a reply slower than Max Wait as a Tool: the tool answers that the agent is still working and how to ask again; asking again gets the reply, and one session is created', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const seen = await runAgent(
			{
				// Max Wait stays at its 240 s: the tool's own cap ends the wait.
				[ASK]: askParameters({ maxWaitAsToolSeconds: 1 }),
				[CHECK]: checkParameters(),
			},
			calls(
				() => ({ tool: ASK, args: { message: 'Upgrade the test framework' } }),
				([ask]) => {
					const { reply_url: replyUrl, session_id: sessionId } = answer(ask);
					const thread =
						String(replyUrl).split('/')[String(replyUrl).split('/').indexOf('threads') + 1];
					expect(api.emulator.threadState(thread).status).toBe('running');
					expect(polls().length).toBeLessThanOrEqual(MOST_POLLS_IN_ONE_SECOND);
					api.emulator.finishTurn(thread, 'Upgraded; every test passes.');
					expect(sessionId).toBe(api.emulator.sessionIds()[0]);
					return { tool: CHECK, args: { reply_url: replyUrl } };
				},
			),
		);
		const [ask, check] = seen;
		const stillWorking = answer(ask);
		const [sessionId] = api.emulator.sessionIds();
		expect(stillWorking).toMatchObject({ status: 'still_working', session_id: sessionId });
		expect(stillWorking.message).toMatch(/still working/);
		expect(stillWorking.message).toContain(`session ${sessionId}`);
		expect(stillWorking.message).toContain(
			`Wait for Reply again later with the reply URL ${String(stillWorking.reply_url)}`,
		);
		expect(answer(check)).toMatchObject({
			status: 'replied',
			reply: 'Upgraded; every test passes.',
			session_id: sessionId,
			reply_url: stillWorking.reply_url,
		});
		expect(creates()).toHaveLength(1);
	});

	test('with Include Session, the answer also has the session page and the pull requests', async () => {
		api.emulator.setAgent(() => ({ reply: 'Opened a pull request', delayMs: 0 }));
		api.emulator.faults.add({
			match: { method: 'GET', path: /\/sessions\/[0-9a-f-]{36}$/ },
			fault: { kind: 'pullRequests', as: 'urls' },
		});
		const [ask] = await runAgent(
			{ [ASK]: askParameters({ options: { includeSession: true } }) },
			calls(() => ({ tool: ASK, args: { message: 'Open a pull request' } })),
		);
		const [sessionId] = api.emulator.sessionIds();
		expect(answer(ask)).toEqual({
			status: 'replied',
			reply: 'Opened a pull request',
			session_id: sessionId,
			reply_url: expect.any(String),
			session_url: expect.stringContaining(sessionId),
			pull_request_urls: [expect.stringMatching(/^https:\/\//)],
		});
	});

	test('Max Wait still applies when it is the shorter one', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const [ask] = await runAgent(
			{ [ASK]: askParameters({ maxWaitSeconds: 1, maxWaitAsToolSeconds: 600 }) },
			calls(() => ({ tool: ASK, args: { message: 'Slow task' } })),
		);
		expect(answer(ask)).toMatchObject({ status: 'still_working' });
		expect(polls().length).toBeLessThanOrEqual(MOST_POLLS_IN_ONE_SECOND);
	});

	test('a failure is an answer in plain sentences saying what to change, and the agent goes on', async () => {
		const missing = '11111111-2222-4333-8444-555555555555';
		const seen = await runAgent(
			{ [CHECK]: checkParameters() },
			calls(
				() => ({ tool: CHECK, args: { reply_url: 'the session I started' } }),
				() => ({
					tool: CHECK,
					args: {
						reply_url: `${api.emulator.url}/rest/v1/sessions/${missing}/threads/${missing}/messages?type=final_message&role=assistant`,
					},
				}),
			),
		);
		const [badLink, unknownSession] = seen.map(answer);
		expect(badLink).toEqual({
			status: 'failed',
			message:
				'Reply URL is not a Blocks thread messages link: "the session I started". Expected …/rest/v1/sessions/<session ID>/threads/<thread ID>/messages?type=final_message&role=assistant.',
		});
		expect(unknownSession.status).toBe('failed');
		expect(unknownSession.message).toMatch(
			/^Blocks has no such session or thread \(404[^)]*\)\. Check the session \(and thread\) ID\./,
		);
		// No `error` key: n8n 2.x repeats a node whose first item has one (Retry On Fail).
		for (const failed of [badLink, unknownSession]) expect(failed).not.toHaveProperty('error');
	});

	test('a failure after the message was sent says so, with the reply URL, so the model does not send it again', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		api.emulator.faults.add({
			match: { method: 'GET', path: /\/threads\// },
			fault: { kind: 'status', status: 404 },
		});
		const [ask] = await runAgent(
			{ [ASK]: askParameters() },
			calls(() => ({ tool: ASK, args: { message: 'Fix the login bug' } })),
		);
		const failed = answer(ask);
		const [sessionId] = api.emulator.sessionIds();
		expect(failed).toMatchObject({ status: 'failed', session_id: sessionId });
		expect(failed.message).toMatch(
			new RegExp(
				`^The message was sent and the coding agent is working on it in session ${sessionId}, but waiting for its reply failed: Blocks has no such session`,
			),
		);
		expect(failed.message).toContain(
			`reply URL ${String(failed.reply_url)}; do not send the message again.`,
		);
		expect(creates()).toHaveLength(1);
	});

	test('$fromAI() fills the agent, the session ID and the message; a send without waiting answers where the reply will be', async () => {
		const agents: string[] = [];
		api.emulator.setAgent((turn) => {
			agents.push(turn.agent);
			return { reply: 'ok', delayMs: 0 };
		});
		const seen = await runAgent(
			{
				[ASK]: askParameters({
					agentName:
						"={{ $fromAI('agent', 'The coding agent: claude, codex or gemini', 'string') }}",
					waitForReply: false,
				}),
				[SEND]: {
					resource: 'session',
					operation: 'sendMessage',
					sessionId: "={{ $fromAI('session_id', 'The session to send to', 'string') }}",
					message: "={{ $fromAI('message', 'What to tell the coding agent', 'string') }}",
				},
			},
			calls(
				() => ({ tool: ASK, args: { agent: 'codex', message: 'Write the changelog' } }),
				([started]) => ({
					tool: SEND,
					args: { session_id: answer(started).session_id, message: 'Also bump the version' },
				}),
			),
		);
		const [started, sent] = seen.map(answer);
		const [sessionId] = api.emulator.sessionIds();
		expect(agents).toEqual(['codex', 'codex']);
		expect(started).toEqual({
			status: 'started',
			message: expect.stringMatching(
				new RegExp(
					`^The coding agent has started working on the message in session ${sessionId}\\. To get its reply, call Wait for Reply with the reply URL http`,
				),
			),
			session_id: sessionId,
			reply_url: expect.stringContaining(`/sessions/${sessionId}/threads/`),
			session_url: expect.stringContaining(sessionId),
		});
		expect(sent).toMatchObject({ status: 'started', session_id: sessionId });
		expect(sent.reply_url).not.toBe(started.reply_url);
		expect(api.emulator.followUpsFor(sessionId)).toBe(1);
	});
});

describe('what the model reads from the reads, one compact answer each', () => {
	beforeAll(() => {
		agentKind = scriptedAgent;
	});

	const READ = 'Read from Blocks';
	const bySessionId = "={{ $fromAI('session_id', 'The session to read', 'string') }}";

	/** A session whose turn has replied, with a pull request and a plan of two iterations. */
	async function finishedSession() {
		api.emulator.setAgent(() => ({
			reply: 'Planned and opened a pull request',
			delayMs: 0,
			pullRequests: ['https://github.com/acme/api/pull/7'],
		}));
		const [ask] = await runAgent(
			{ [ASK]: askParameters() },
			calls(() => ({ tool: ASK, args: { message: 'Plan the change' } })),
		);
		const sessionId = String(answer(ask).session_id);
		const firstPlan = api.emulator.addArtifact(sessionId, {
			file_name: 'PLAN.md',
			mime_type: 'text/markdown',
			content: '# Plan',
		});
		const secondPlan = api.emulator.addArtifact(sessionId, { file_name: 'NOTES.md' });
		return { sessionId, artifactIds: [firstPlan, secondPlan] };
	}

	/** The one answer the model read after calling READ with `args`. */
	async function read(parameters: INodeParameters, args: IDataObject): Promise<IDataObject> {
		const [call] = await runAgent(
			{ [READ]: parameters },
			calls(() => ({ tool: READ, args })),
		);
		const read = answer(call);
		expect(JSON.stringify(read)).not.toContain(api.apiKey);
		expect(read).not.toHaveProperty('_links');
		return read;
	}

	test('Get: the session’s ID, title, page, pull requests and plan artifacts', async () => {
		const { sessionId, artifactIds } = await finishedSession();
		const session = await read(
			{ resource: 'session', operation: 'get', sessionId: bySessionId },
			{ session_id: sessionId },
		);
		expect(session).toEqual({
			status: 'found',
			session_id: sessionId,
			title: expect.any(String),
			session_url: expect.stringContaining(sessionId),
			pull_request_urls: ['https://github.com/acme/api/pull/7'],
			artifact_ids: artifactIds,
			archived: false,
			updated_at: expect.any(String),
		});
	});

	test('Get Many: the messages, oldest first, as who said what in which turn', async () => {
		const { sessionId } = await finishedSession();
		const listed = await read(
			{
				resource: 'message',
				operation: 'getAll',
				sessionId: bySessionId,
				filters: { role: 'any', type: ['message'] },
			},
			{ session_id: sessionId },
		);
		const uuid = expect.stringMatching(/^[0-9a-f-]{36}$/);
		const turn = { message_id: uuid, thread_id: uuid, type: 'message' };
		expect(listed).toEqual({
			status: 'found',
			count: 3,
			messages: [
				// Blocks' system notice belongs to no thread (docs/blocks-api.md §3.5).
				{
					...turn,
					thread_id: null,
					role: 'assistant',
					text: 'Sandbox started.',
					ts: expect.any(Number),
				},
				{ ...turn, role: 'user', text: 'Plan the change', ts: null },
				{
					...turn,
					role: 'assistant',
					text: 'Planned and opened a pull request',
					ts: expect.any(Number),
				},
			],
		});
	});

	test('Artifact Get: the metadata and its link, never the file, even with Download on', async () => {
		const { sessionId, artifactIds } = await finishedSession();
		const got = await read(
			{
				resource: 'artifact',
				operation: 'get',
				sessionId: bySessionId,
				artifactId: "={{ $fromAI('artifact_id', 'The artifact to read', 'string') }}",
				download: true,
			},
			{ session_id: sessionId, artifact_id: artifactIds[0] },
		);
		expect(got).toEqual({
			status: 'found',
			count: 1,
			artifacts: [
				{
					artifact_id: artifactIds[0],
					kind: 'plan',
					file_name: 'PLAN.md',
					mime_type: 'text/markdown',
					size_kb: expect.any(Number),
					plan_id: expect.any(String),
					created_at: expect.any(String),
					download_url: expect.stringContaining(artifactIds[0]),
				},
			],
		});
		// Nor is the file fetched, only for the answer to leave it out.
		expect(api.emulator.storageRequests).toHaveLength(0);
	});

	test('Artifact Get Many: one entry per plan, in the session’s order', async () => {
		const { sessionId, artifactIds } = await finishedSession();
		const got = await read(
			{ resource: 'artifact', operation: 'getAllForSession', sessionId: bySessionId },
			{ session_id: sessionId },
		);
		expect(got).toMatchObject({ status: 'found', count: 2 });
		expect((got.artifacts as IDataObject[]).map((a) => [a.artifact_id, a.file_name])).toEqual([
			[artifactIds[0], 'PLAN.md'],
			[artifactIds[1], 'NOTES.md'],
		]);
	});
});
