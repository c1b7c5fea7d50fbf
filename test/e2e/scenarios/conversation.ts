/**
 * The whole conversation in one workflow: create, wait, follow-up, wait, follow-up with the wait
 * inline, get the session, list its messages (all, then two).
 */
import { UUID } from '../../../nodes/Blocks/helpers/validation';
import { assert, assertEqual } from '../checks';
import { Scenario, assertSucceeded, onlyItem, outputItems, withKey } from '../scenario';
import { REPLY_DELAY_MS, replyTo } from '../testAgent';
import { NODE_TYPE } from '../../../nodes/Blocks/identity';

const FIRST = 'Hello from the n8n end-to-end test';
const SECOND = 'Second question from the end-to-end test';
const THIRD = 'Third question, answered inline';

export const conversation: Scenario = {
	workflow: { fixture: 'conversation.json' },

	async verify({ check, result: r, workflow, emulator, apiKey, requests }) {
		const ran = await check('conversation workflow runs (n8n execute --id, exit 0)', () => {
			assertSucceeded(r);
			return `${(r.run.ms / 1000).toFixed(1)} s including the n8n boot`;
		});
		if (!ran) return;
		const created = onlyItem(r.json, 'Create Session');
		await check('Session > Create returns the session and its reply link', () => {
			assert(
				typeof created.id === 'string' && UUID.test(created.id),
				`id is ${JSON.stringify(created.id)}`,
			);
			const href = (created._links as { final_message?: { href?: string } } | undefined)
				?.final_message?.href;
			assert(
				typeof href === 'string' && href.startsWith(emulator.url),
				`_links.final_message.href is ${href}`,
			);
			return `session ${created.id}`;
		});
		await check(
			'Session > Wait for Reply (reply URL from the previous node) gets the first reply',
			() => {
				const w = onlyItem(r.json, 'Wait for First Reply');
				assertEqual(w.status, 'replied', 'status');
				assertEqual(w.reply, replyTo(FIRST), 'reply');
				assertEqual(w.session_id, created.id, 'session_id');
				assertEqual(w.thread_id, created.thread_id, 'thread_id');
				assert(
					typeof w.polls === 'number' && w.polls >= 2,
					`polls ${w.polls}: the agent answers after ${REPLY_DELAY_MS} ms`,
				);
				assert(
					typeof w.waited_ms === 'number' && w.waited_ms >= REPLY_DELAY_MS / 2,
					`waited_ms ${w.waited_ms}`,
				);
				assert(w.final_message && typeof w.final_message === 'object', 'final_message missing');
				return `${w.polls} polls, ${w.waited_ms} ms`;
			},
		);
		await check(
			"Session > Send Message + Wait for Reply gets the follow-up's reply on a new thread",
			() => {
				const sent = onlyItem(r.json, 'Send Follow-up');
				assertEqual(sent.chat_id, created.id, 'chat_id');
				assert(
					sent.chat_thread_id && sent.chat_thread_id !== created.thread_id,
					'the follow-up did not open a new thread',
				);
				const w = onlyItem(r.json, 'Wait for Second Reply');
				assertEqual(w.status, 'replied', 'status');
				assertEqual(w.reply, replyTo(SECOND), 'reply');
				assertEqual(w.thread_id, sent.chat_thread_id, 'thread_id');
				return `thread ${String(sent.chat_thread_id)}`;
			},
		);
		await check('Session > Send Message with "Wait for Reply" on outputs the reply', () => {
			const w = onlyItem(r.json, 'Follow-up and Wait');
			assertEqual(w.status, 'replied', 'status');
			assertEqual(w.reply, replyTo(THIRD), 'reply');
			assertEqual(w.session_id, created.id, 'session_id');
			return `${w.polls} polls`;
		});
		await check('Session > Get returns the session', () => {
			const s = onlyItem(r.json, 'Get Session');
			assertEqual(s.id, created.id, 'id');
			assertEqual(emulator.followUpsFor(String(created.id)), 2, 'follow-ups the emulator received');
			return `${String(s.title)}`;
		});
		await check(
			'Message > Get Many (return all, role any) lists the whole conversation in order',
			() => {
				const items = outputItems(r.json, 'Get All Messages').map((i) => i.json);
				assert(
					items.every((m) => m.chat_id === created.id),
					'a message of another session was listed',
				);
				const users = items.filter((m) => m.role === 'user').map((m) => m.message);
				const finals = items.filter((m) => m.type === 'final_message').map((m) => m.message);
				assertEqual(JSON.stringify(users), JSON.stringify([FIRST, SECOND, THIRD]), 'user messages');
				assertEqual(
					JSON.stringify(finals),
					JSON.stringify([FIRST, SECOND, THIRD].map(replyTo)),
					'final messages',
				);
				return `${items.length} messages`;
			},
		);
		await check('Message > Get Many with limit 2 returns 2 agent messages', () => {
			const items = outputItems(r.json, 'Get Two Replies').map((i) => i.json);
			assertEqual(items.length, 2, 'items');
			assert(
				items.every((m) => m.role === 'assistant'),
				'default role filter should list only the agent',
			);
			return 'ok';
		});
		await check('every Blocks output item carries pairedItem', () => {
			const runData = r.json?.data?.resultData?.runData ?? {};
			const nodes = workflow.nodes.filter((n) => n.type === NODE_TYPE);
			for (const node of nodes) {
				const items = runData[node.name]?.[0]?.data?.main?.[0] ?? [];
				for (const item of items as Array<{ pairedItem?: unknown }>) {
					assert(item.pairedItem !== undefined, `an item of "${node.name}" has no pairedItem`);
				}
			}
			return `${nodes.length} nodes`;
		});
		await check("requests reached the emulator with the credential's key", () => {
			const all = requests();
			const mine = withKey(all, apiKey);
			assert(mine.length > 0, 'no request carried the credential key');
			assertEqual(all.length - mine.length, 0, 'requests without the key');
			assert(
				mine.every((e) => e.status >= 200 && e.status < 300),
				'a request was not answered 2xx',
			);
			return `${mine.length} requests, all 2xx`;
		});
	},
};
