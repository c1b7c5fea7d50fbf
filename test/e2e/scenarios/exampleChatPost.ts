/** examples/ask-agent-post-to-chat.workflow.json: the agent's reply posted to a chat webhook. */
import { startChatWebhook, type ChatWebhook } from '../chatWebhook';
import { assert, assertEqual } from '../checks';
import { verifyExample } from '../exampleChecks';
import { Scenario, onlyItem } from '../scenario';
import { replyTo } from '../testAgent';

type Assignment = { name: string; value: unknown };

function settingsOf(workflow: {
	nodes: Array<{ name: string; parameters?: Record<string, unknown> }>;
}) {
	const settings = workflow.nodes.find((n) => n.name === 'Settings');
	const assignments = (settings?.parameters?.assignments as { assignments?: Assignment[] })
		?.assignments;
	if (!assignments) throw new Error('the example has no Settings node with assignments');
	return assignments;
}

export const exampleChatPost: Scenario<ChatWebhook> = {
	workflow: { example: 'ask-agent-post-to-chat.workflow.json' },

	async prepare(workflow) {
		const webhook = await startChatWebhook();
		// the user's part: their chat tool's incoming webhook URL goes into Settings
		const copy = structuredClone(workflow);
		const url = settingsOf(copy).find((a) => a.name === 'chatWebhookUrl');
		if (!url) throw new Error('Settings has no chatWebhookUrl');
		url.value = webhook.url;
		return { workflow: copy, state: webhook, close: () => webhook.close() };
	},

	async verify(run, webhook) {
		if (!(await verifyExample(run, { replies: ['Ask the Agent'] }))) return;
		await run.check(`example ${run.fileName}: the reply is posted to the chat webhook`, () => {
			const question = settingsOf(run.workflow).find((a) => a.name === 'question')?.value;
			assertEqual(webhook.received.length, 1, 'posts the webhook received');
			const expected = { text: replyTo(String(question)) };
			assertEqual(JSON.stringify(webhook.received[0]), JSON.stringify(expected), 'posted body');
			assert(onlyItem(run.result.json, 'Post to Chat'), 'Post to Chat has no output');
			return JSON.stringify(webhook.received[0]);
		});
	},
};
