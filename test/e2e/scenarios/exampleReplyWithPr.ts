/**
 * examples/reply-with-pr.workflow.json as shipped: Create with Wait for Reply, Include Session
 * and Include Transcript on, then a Set node that builds the chat message. The e2e agent opens a
 * pull request with its reply (test/e2e/testAgent.ts), and the session is read once more after it.
 */
import { assert, assertEqual } from '../checks';
import { verifyExample } from '../exampleChecks';
import { Scenario, onlyItem } from '../scenario';
import { PULL_REQUEST_TOOLS, pullRequestOpenedOn } from '../testAgent';

const ASK = 'Fix and Open a Pull Request';
const MESSAGE = 'Pull Request Message';

export const exampleReplyWithPr: Scenario = {
	workflow: { example: 'reply-with-pr.workflow.json' },

	async verify(run) {
		if (!(await verifyExample(run, { replies: [ASK] }))) return;
		await run.check(
			`example ${run.fileName}: the pull request's link and the transcript reach "${MESSAGE}"`,
			() => {
				const reply = onlyItem(run.result.json, ASK);
				const message = onlyItem(run.result.json, MESSAGE);
				const opened = pullRequestOpenedOn(String(reply.thread_id));
				assert(opened, `the agent opened no pull request on thread ${String(reply.thread_id)}`);
				assertEqual(message.pull_request, opened, 'pull_request');
				assertEqual(
					message.text,
					`Pull request ready for review: ${opened}\n\n${String(reply.reply)}`,
					'text',
				);
				assertEqual(message.tools_used, PULL_REQUEST_TOOLS.join(', '), 'tools_used');
				const transcript = message.transcript as Array<{ type?: string; message?: string }>;
				assertEqual(
					JSON.stringify(transcript.map((entry) => entry.type)),
					JSON.stringify([...PULL_REQUEST_TOOLS.map(() => 'tool_call'), 'message']),
					'transcript types',
				);
				assertEqual(
					transcript[transcript.length - 1]?.message,
					reply.reply,
					'the transcript ends with the reply',
				);
				assert(
					String(message.session_html_url).endsWith(String(reply.session_id)),
					`session_html_url ${String(message.session_html_url)}`,
				);
				return `${opened}; ${transcript.length} transcript entries`;
			},
		);
		await run.check(`example ${run.fileName}: the session was read once, after the reply`, () => {
			const sessionId = String(onlyItem(run.result.json, ASK).session_id);
			const requests = run.requests();
			const reads = requests.filter(
				(entry) => entry.method === 'GET' && entry.path === `/rest/v1/sessions/${sessionId}`,
			);
			assertEqual(reads.length, 1, 'reads of the session');
			// The wait's polls ask for final messages only; the transcript's reads ask for tool calls.
			const polls = requests.filter(
				(entry) =>
					entry.path.includes(`/sessions/${sessionId}/threads/`) &&
					!entry.query.includes('tool_call'),
			);
			const lastPoll = polls[polls.length - 1];
			assert(lastPoll, 'no poll of the thread');
			assert(
				requests.indexOf(reads[0]) > requests.indexOf(lastPoll),
				'the session was read before the reply',
			);
			return `GET /rest/v1/sessions/${sessionId}`;
		});
	},
};
