/**
 * Create Session with Agent "Other (by Name)" and a Session Group ID, waiting for the reply, then
 * a follow-up that waits for its own, while the emulator ignores the thread filter on the
 * follow-up's polls: every poll then lists the whole session, the first turn's reply included,
 * and only the node's own thread check keeps the wait from taking it.
 */
import type { BlocksEmulator, RequestLogEntry } from '../../../emulator';
import { assert, assertEqual } from '../checks';
import { Scenario, assertSucceeded, onlyItem } from '../scenario';
import { LATER_AGENT_NAME, agentOn, replyTo, testAgent } from '../testAgent';

const FIRST = 'First question, for an agent added after the documented six';
const SECOND = 'Second question: take your time';
const SESSION_GROUP_ID = '5b1f0c7e-2a4d-4e8b-9c3f-7d6a1e2b4c5d';
const IGNORED_FILTER = 'ignoreThreadFilter';

/** The follow-up turns' reply polls list the whole session; the first turn's polls are left alone. */
function ignoreThreadFilterOnFollowUps(emulator: BlocksEmulator): () => void {
	emulator.setAgent((turn) => {
		if (turn.turnIndex > 0) {
			emulator.faults.add({
				match: { method: 'GET', path: new RegExp(`/threads/${turn.threadId}/messages$`) },
				times: Infinity,
				fault: { kind: IGNORED_FILTER },
			});
		}
		return testAgent(turn);
	});
	return () => {
		emulator.faults.clear();
		emulator.setAgent(testAgent);
	};
}

function pollsOf(requests: RequestLogEntry[], threadId: string): RequestLogEntry[] {
	return requests.filter(
		(entry) => entry.method === 'GET' && entry.path.endsWith(`/threads/${threadId}/messages`),
	);
}

const ignoredFilter = (entry: RequestLogEntry) =>
	(entry.fault ?? '').split('+').includes(IGNORED_FILTER);

export const laterAgentThreadCheck: Scenario = {
	workflow: { fixture: 'later-agent-thread-check.json' },

	arrange: ignoreThreadFilterOnFollowUps,

	async verify({ check, result: r, emulator, requests }) {
		const ran = await check('later-agent workflow runs (n8n execute --id, exit 0)', () => {
			assertSucceeded(r);
			return `${(r.run.ms / 1000).toFixed(1)} s including the n8n boot`;
		});
		if (!ran) return;
		const first = onlyItem(r.json, 'Create Session');
		const followUp = onlyItem(r.json, 'Send Follow-up');

		await check(
			`Session > Create with Agent "Other (by Name)" creates one session as "${LATER_AGENT_NAME}" and gets its reply`,
			() => {
				const creates = requests().filter(
					(entry) => entry.method === 'POST' && entry.path === '/rest/v1/sessions',
				);
				assertEqual(creates.length, 1, 'POST /rest/v1/sessions');
				assertEqual(creates[0].status, 200, 'status of the create');
				assertEqual(
					agentOn(String(first.thread_id)),
					LATER_AGENT_NAME,
					'agent_name of the session',
				);
				assertEqual(first.status, 'replied', 'status');
				assertEqual(first.reply, replyTo(FIRST), 'reply');
				assertEqual(emulator.followUpsFor(String(first.session_id)), 1, 'follow-ups received');
				return `session ${String(first.session_id)}`;
			},
		);
		await check('Session > Create with Session Group ID files the session under that group', () => {
			const session = onlyItem(r.json, 'Get Session');
			assertEqual(session.id, first.session_id, 'id');
			assertEqual(session.session_group_id, SESSION_GROUP_ID, 'session_group_id');
			return SESSION_GROUP_ID;
		});
		await check(
			"Send Message + Wait for Reply takes its own thread's reply when the server ignores the thread filter",
			() => {
				const log = requests();
				const firstPolls = pollsOf(log, String(first.thread_id));
				assert(firstPolls.length > 0, 'no poll of the first thread');
				assert(!firstPolls.some(ignoredFilter), "the first turn's polls were faulted too");
				const threadId = String(followUp.thread_id);
				assert(threadId !== first.thread_id, 'the follow-up did not open a new thread');
				const polls = pollsOf(log, threadId);
				assert(
					polls.length > 0 && polls.every(ignoredFilter),
					`not every poll of the follow-up's thread ignored the filter (${polls.length} polls)`,
				);
				assertEqual(followUp.status, 'replied', 'status');
				assertEqual(followUp.reply, replyTo(SECOND), 'reply');
				assertEqual(followUp.thread_id, threadId, 'thread_id');
				const readyAt = emulator.threadState(threadId).readyAtMs;
				assert(readyAt !== null, "the follow-up's reply never became ready");
				const early = polls.filter((entry) => entry.receivedAt < readyAt);
				assert(
					early.length > 0,
					'no poll came before the reply, so none could have taken the first turn’s instead',
				);
				assertEqual(followUp.polls, polls.length, 'polls of the wait');
				return `${early.length} of ${polls.length} polls listed the whole session before the reply and did not end the wait`;
			},
		);
	},
};
