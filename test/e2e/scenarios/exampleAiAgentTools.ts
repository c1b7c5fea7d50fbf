/**
 * examples/ai-agent-tools.workflow.json in `n8n start`: n8n's AI Agent with the OpenAI Chat Model,
 * whose credential's Base URL is a scripted model emulator (test/e2e/modelEmulator.ts), and the two
 * Blocks tools. Adapted for the test: a Webhook trigger carrying the chat message instead of the
 * Chat Trigger (the memory keyed by the webhook's session ID), and Max Wait as a Tool at 5 s.
 *
 * Two chats: a task the Blocks agent answers within the cap (the model reads the reply), and one
 * it answers only later (the model reads "still working" with the reply URL, calls Check on a
 * coding agent with it, and reads the reply). Each creates one session.
 */
import { randomUUID } from 'crypto';
import {
	toolNamed,
	toolResults,
	type ChatRequest,
	type ModelEmulator,
	type ModelTurn,
} from '../modelEmulator';
import { nodeNamed, type WorkflowJson } from '../../real-n8n/workflowFiles';
import { assert, assertEqual } from '../checks';
import { scriptedModel } from './scriptedModel';
import {
	executionWhen,
	nodeRuns,
	sessionCreates,
	webhookNode,
	type ServerScenario,
	type ServerScenarioRun,
} from '../serverScenario';
import { REPLY_WHEN_TOLD, messageSentOn, replyTo } from '../testAgent';
import { httpRequest } from '../../support/http';
import { pollUntil } from '../../support/pollUntil';

const CHAT_TRIGGER = 'When chat message received';
const TRIGGER = 'Start by Webhook';
const WEBHOOK_PATH = 'blocks-e2e-ai-agent';
const AGENT = 'AI Agent';
const ASK = 'Ask a coding agent';
const CHECK = 'Check on a coding agent';
const MAX_WAIT_AS_TOOL_SECONDS = 5;

/** The scripted model, on an OpenAI credential of this scenario's own. */
const MODEL = scriptedModel('openAiEmuAgent01');

function adapt(example: WorkflowJson): WorkflowJson {
	const w = structuredClone(example);
	w.nodes = w.nodes.filter((n) => n.name !== CHAT_TRIGGER);
	w.nodes.push(webhookNode(TRIGGER, WEBHOOK_PATH, '3b9e2f6a-1c4d-4e8f-a0b2-7c5d9e1f3a20'));
	const connections = w.connections as Record<string, unknown>;
	connections[TRIGGER] = connections[CHAT_TRIGGER];
	delete connections[CHAT_TRIGGER];
	Object.assign(nodeNamed(w, AGENT).parameters!, {
		promptType: 'define',
		text: '={{ $json.body.chatInput }}',
	});
	Object.assign(nodeNamed(w, 'Simple Memory').parameters!, {
		sessionIdType: 'customKey',
		sessionKey: '={{ $json.body.sessionId }}',
	});
	for (const tool of [ASK, CHECK]) {
		Object.assign(nodeNamed(w, tool).parameters!, {
			maxWaitAsToolSeconds: MAX_WAIT_AS_TOOL_SECONDS,
			pollIntervalSeconds: 1,
		});
	}
	return MODEL.useIn(w);
}

/** The tool result the model was sent, parsed: n8n sends the JSON of the tool's output items. */
function answerIn(result: string): Record<string, unknown> {
	const items = JSON.parse(result) as Array<Record<string, unknown>>;
	assert(Array.isArray(items) && items.length === 1, `tool result ${result.slice(0, 300)}`);
	return items[0];
}

const threadOf = (replyUrl: unknown) => String(replyUrl).match(/\/threads\/([0-9a-f-]{36})\//)?.[1];

/** Sends one chat message through the webhook and returns its finished execution. */
async function chat(run: ServerScenarioRun, chatInput: string) {
	const url = `${run.rest.baseUrl}/webhook/${WEBHOOK_PATH}`;
	const before = new Set((await run.rest.executionsOf(String(run.workflow.id))).map((e) => e.id));
	const r = await httpRequest('POST', url, { body: { chatInput, sessionId: randomUUID() } });
	assert(r.status === 200, `POST ${url} answered ${r.status}: ${r.text.slice(0, 200)}`);
	const started = await pollUntil(
		async () =>
			(await run.rest.executionsOf(String(run.workflow.id))).find((e) => !before.has(e.id)),
		{ timeoutMs: 30_000, intervalMs: 250, description: 'the chat message to start an execution' },
	);
	const e = await executionWhen(
		run.rest,
		started.id,
		(x) => x.status !== 'running' && x.status !== 'new',
		{ timeoutMs: 90_000, description: `execution ${started.id} to finish` },
	);
	assertEqual(e.status, 'success', `execution status (${e.data.resultData.error?.message ?? ''})`);
	return e;
}

/** What the agent said to the user at the end of its run. */
function agentOutput(e: Awaited<ReturnType<typeof chat>>): string {
	const runs = nodeRuns(e, AGENT);
	const last = runs[runs.length - 1];
	return String(last.data?.main?.[0]?.[0]?.json.output ?? '');
}

/** A model that makes the calls `steps` chooses from the tool results so far, then says `final`. */
function script(
	steps: Array<(request: ChatRequest, results: string[]) => ModelTurn>,
	final: (results: string[]) => string,
) {
	return (request: ChatRequest): ModelTurn => {
		const results = toolResults(request);
		const step = steps[results.length];
		return step ? step(request, results) : { text: final(results) };
	};
}

export const exampleAiAgentTools: ServerScenario<ModelEmulator> = {
	workflow: { example: 'ai-agent-tools.workflow.json' },
	adapt,

	prepare: () => MODEL.prepare(),

	async run(run, model) {
		const name = `example ${run.fileName} (AI Agent, scripted model, Max Wait as a Tool ${MAX_WAIT_AS_TOOL_SECONDS} s)`;

		await run.check(
			`${name}: the session starts with the message the model chose, and the model reads the agent's reply`,
			async () => {
				const task = 'Add a health check endpoint to the API';
				const since = run.requests().length;
				const asked = model.requests.length;
				model.setScript(
					script(
						[(request) => ({ tool: toolNamed(request, ASK), arguments: { message: task } })],
						([result]) => `The coding agent says: ${String(answerIn(result).reply)}`,
					),
				);
				const e = await chat(run, 'Please get a health check endpoint added.');
				const sent = model.requests.slice(asked);
				assertEqual(sent.length, 2, 'requests to the model');
				const answer = answerIn(toolResults(sent[1])[0]);
				assertEqual(answer.status, 'replied', `status the model read (${JSON.stringify(answer)})`);
				assertEqual(answer.reply, replyTo(task), 'reply the model read');
				const thread = threadOf(answer.reply_url);
				assert(thread, `reply_url ${String(answer.reply_url)}`);
				assertEqual(messageSentOn(thread), task, 'message the session started with');
				assert(
					typeof answer.session_id === 'string' &&
						String(answer.session_url).includes(answer.session_id),
					`session_id ${String(answer.session_id)} and session_url ${String(answer.session_url)}`,
				);
				assertEqual(
					Object.keys(answer).sort().join(','),
					'reply,reply_url,session_id,session_url,status',
					'keys of the answer',
				);
				assert(agentOutput(e).includes(replyTo(task)), `agent output: ${agentOutput(e)}`);
				assertEqual(
					sessionCreates(run.requests().slice(since), run.apiKey).length,
					1,
					'sessions created',
				);
				return `execution ${e.id}: ${agentOutput(e).slice(0, 80)}`;
			},
		);

		await run.check(
			`${name}: a slower reply: the model reads "still working" with the reply URL, checks on it with Check on a coding agent and reads the reply; one session`,
			async () => {
				const task = `Upgrade the test framework. ${REPLY_WHEN_TOLD}`;
				const reply = 'The test framework is upgraded and every test passes.';
				const since = run.requests().length;
				const asked = model.requests.length;
				model.setScript(
					script(
						[
							(request) => ({ tool: toolNamed(request, ASK), arguments: { message: task } }),
							(request, [first]) => {
								const stillWorking = answerIn(first);
								const thread = threadOf(stillWorking.reply_url);
								// The Blocks agent finishes only now, after the tool gave up waiting.
								if (stillWorking.status === 'still_working' && thread) {
									run.emulator.finishTurn(thread, reply);
								}
								return {
									tool: toolNamed(request, CHECK),
									arguments: { reply_url: stillWorking.reply_url },
								};
							},
						],
						(results) => `Done: ${String(answerIn(results[1]).reply)}`,
					),
				);
				const e = await chat(run, 'Please upgrade the test framework.');
				const sent = model.requests.slice(asked);
				assertEqual(sent.length, 3, 'requests to the model');
				const [first, second] = toolResults(sent[2]).map(answerIn);
				assertEqual(
					first.status,
					'still_working',
					`status of the first answer (${JSON.stringify(first)})`,
				);
				const message = String(first.message);
				assert(
					message.includes('still working') &&
						message.includes(`reply URL ${String(first.reply_url)}`),
					`still-working message: ${message}`,
				);
				assertEqual(second.status, 'replied', 'status after Check on a coding agent');
				assertEqual(second.reply, reply, 'reply after Check on a coding agent');
				assertEqual(second.reply_url, first.reply_url, 'reply_url');
				assertEqual(messageSentOn(threadOf(first.reply_url) ?? ''), task, 'message sent');
				assertEqual(nodeRuns(e, CHECK).length, 1, `runs of "${CHECK}"`);
				assert(agentOutput(e).includes(reply), `agent output: ${agentOutput(e)}`);
				assertEqual(
					sessionCreates(run.requests().slice(since), run.apiKey).length,
					1,
					'sessions created',
				);
				return `execution ${e.id}`;
			},
		);
	},
};
