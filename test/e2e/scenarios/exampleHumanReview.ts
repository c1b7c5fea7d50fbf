/**
 * examples/ai-agent-human-review.workflow.json in `n8n start` (n8n 2.x: 1.x has no human-review
 * tool nodes): n8n's AI Agent, with the OpenAI Chat Model's Base URL on a scripted model emulator
 * (test/e2e/modelEmulator.ts), calls "Ask a coding agent" through n8n's chat human review
 * ("Approve in chat", a `chatHitlTool`), which needs no outside service: it parks the execution
 * and puts Approve/Decline links in the chat. The chat message goes to the Chat Trigger's
 * production webhook (the trigger made public for the test, Max Wait as a Tool at 5 s).
 *
 * Approved: the session is created once, with the message the model wrote, and the model reads
 * the reply. Declined: nothing is created and the model reads n8n's refusal.
 */
import { randomUUID } from 'crypto';

import { httpRequest } from '../../support/http';
import { toolNamed, toolResults, type ModelEmulator } from '../modelEmulator';
import { pollUntil } from '../../support/pollUntil';
import { nodeNamed, type WorkflowJson } from '../../real-n8n/workflowFiles';
import { assert, assertEqual } from '../checks';
import { scriptedModel } from './scriptedModel';
import {
	executionWhen,
	sessionCreates,
	type ServerScenario,
	type ServerScenarioRun,
} from '../serverScenario';
import { messageSentOn, replyTo } from '../testAgent';

const CHAT_TRIGGER = 'When chat message received';
const ASK = 'Ask a coding agent';
const REVIEW = 'Approve in chat';
const REPLY = 'Reply in chat';
const MAX_WAIT_AS_TOOL_SECONDS = 5;
const BROWSER =
	'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

/** The scripted model, on an OpenAI credential of this scenario's own. */
const MODEL = scriptedModel('openAiEmuReview1');

function adapt(example: WorkflowJson): WorkflowJson {
	const w = structuredClone(example);
	// Reached over its production webhook, as a hosted chat page would post to it.
	Object.assign(nodeNamed(w, CHAT_TRIGGER).parameters!, { public: true });
	Object.assign(nodeNamed(w, ASK).parameters!, {
		maxWaitAsToolSeconds: MAX_WAIT_AS_TOOL_SECONDS,
		pollIntervalSeconds: 1,
	});
	return MODEL.useIn(w);
}

/**
 * Sends one chat message and waits for its execution to park at the review; returns the
 * execution, its review links, and how to stop the chat request.
 */
async function chatUntilReview(run: ServerScenarioRun, chatInput: string) {
	const trigger = nodeNamed(run.workflow, CHAT_TRIGGER);
	const url = `${run.rest.baseUrl}/webhook/${String(trigger.webhookId)}/chat`;
	const workflowId = String(run.workflow.id);
	const before = new Set((await run.rest.executionsOf(workflowId)).map((e) => e.id));
	// The webhook answers through the workflow's response nodes, so only after the review; it is
	// not waited for (the checks read the execution), only stopped when the check ends.
	const chatRequest = new AbortController();
	void httpRequest('POST', url, {
		body: { action: 'sendMessage', sessionId: randomUUID(), chatInput },
		timeoutMs: 120_000,
		signal: chatRequest.signal,
	}).catch(() => undefined);
	const started = await pollUntil(
		async () => (await run.rest.executionsOf(workflowId)).find((e) => !before.has(e.id)),
		{ timeoutMs: 30_000, intervalMs: 250, description: 'the chat message to start an execution' },
	);
	const parked = await executionWhen(run.rest, started.id, (e) => e.status === 'waiting', {
		timeoutMs: 60_000,
		description: `execution ${started.id} to wait for the review`,
	});
	const data = JSON.stringify(parked.data.resultData.runData[REVIEW] ?? null);
	const link = (approved: boolean) => {
		const found = data.match(new RegExp(`https?://[^"\\s]*approved=${approved}[^"\\s]*`))?.[0];
		assert(
			found,
			`no ${approved ? 'approve' : 'decline'} link in the run of "${REVIEW}": ${data.slice(0, 400)}`,
		);
		// n8n writes its configured base URL; the test reaches it where it listens.
		const resume = new URL(found.replace(/\\u0026/g, '&'));
		return `${run.rest.baseUrl}${resume.pathname}${resume.search}`;
	};
	return { execution: started, link, stop: () => chatRequest.abort() };
}

/**
 * Clicks a review link and waits for the run to reach Reply in chat, which answers in the chat
 * and parks the execution again for the user's next message (n8n's chat keeps one execution per
 * conversation); returns the execution.
 */
async function review(run: ServerScenarioRun, executionId: string, link: string) {
	// As the reviewer's browser: n8n answers a bot's GET (link previews; Node's fetch is one) blank.
	const r = await httpRequest('GET', link, { headers: { 'user-agent': BROWSER } });
	assert(r.status === 200, `GET ${link} answered ${r.status}: ${r.text.slice(0, 200)}`);
	const e = await executionWhen(
		run.rest,
		executionId,
		// Reply in chat has run and the execution has settled: n8n names the last node a moment
		// before it saves the execution as waiting again. Or it ended otherwise.
		(x) =>
			(x.data.resultData.lastNodeExecuted === REPLY && x.status === 'waiting') ||
			!['running', 'new', 'waiting'].includes(x.status),
		{ timeoutMs: 60_000, description: `execution ${executionId} to reply in the chat` },
	);
	assertEqual(e.status, 'waiting', `execution status (${e.data.resultData.error?.message ?? ''})`);
	return e;
}

export const exampleHumanReview: ServerScenario<ModelEmulator> = {
	workflow: { example: 'ai-agent-human-review.workflow.json' },
	sinceN8nMajor: 2,
	adapt,

	prepare: () => MODEL.prepare(),

	async run(run, model) {
		const name = `example ${run.fileName} (AI Agent, chat human review, scripted model)`;
		/** The model asks for the task once, then sums up whatever it read back. */
		const askOnce = (task: string) =>
			model.setScript((request) => {
				const [result] = toolResults(request);
				if (result === undefined) {
					return {
						tool: toolNamed(request, ASK),
						arguments: { toolParameters: { message: task }, hitlParameters: {} },
					};
				}
				return { text: `The tool said: ${result}` };
			});

		await run.check(
			`${name}: approved, the session is created once with the model's message and the model reads the reply`,
			async () => {
				const task = 'Add a health check endpoint to the API';
				const since = run.requests().length;
				const asked = model.requests.length;
				askOnce(task);
				const { execution, link, stop } = await chatUntilReview(run, 'Please add a health check.');
				assertEqual(
					sessionCreates(run.requests().slice(since), run.apiKey).length,
					0,
					'sessions created before the review',
				);
				await review(run, execution.id, link(true)).finally(stop);
				const creates = sessionCreates(run.requests().slice(since), run.apiKey);
				assertEqual(creates.length, 1, 'sessions created');
				const sent = model.requests.slice(asked);
				const [result] = toolResults(sent[sent.length - 1]);
				assert(result !== undefined, 'the model read no tool result');
				const answer = (JSON.parse(result) as Array<Record<string, unknown>>)[0];
				assertEqual(answer.status, 'replied', `what the model read (${result.slice(0, 300)})`);
				assertEqual(answer.reply, replyTo(task), 'reply the model read');
				const thread = String(answer.reply_url).match(/\/threads\/([0-9a-f-]{36})\//)?.[1];
				assertEqual(messageSentOn(thread ?? ''), task, 'message the session started with');
				return `execution ${execution.id}`;
			},
		);

		await run.check(
			`${name}: declined, nothing is created and the model reads the refusal`,
			async () => {
				const since = run.requests().length;
				const asked = model.requests.length;
				askOnce('Delete the staging database');
				const { execution, link, stop } = await chatUntilReview(run, 'Please clean up staging.');
				await review(run, execution.id, link(false)).finally(stop);
				assertEqual(
					sessionCreates(run.requests().slice(since), run.apiKey).length,
					0,
					'sessions created',
				);
				const sent = model.requests.slice(asked);
				const [result] = toolResults(sent[sent.length - 1]);
				assert(
					result !== undefined && /rejected the tool call/i.test(result),
					`what the model read: ${String(result).slice(0, 300)}`,
				);
				return result.slice(0, 100);
			},
		);
	},
};
