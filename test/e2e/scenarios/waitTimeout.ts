/** A wait that runs out of time with "On Timeout: Output Item": the agent never finishes. */
import { assert, assertEqual } from '../checks';
import { Scenario, assertSucceeded, onlyItem, withKey } from '../scenario';

export const waitTimeout: Scenario = {
	workflow: { fixture: 'wait-timeout.json' },

	async verify({ check, result: r, apiKey, requests }) {
		await check(
			'Wait for Reply times out with onTimeout=output (agent never finishes, max wait 3 s)',
			() => {
				assertSucceeded(r);
				const created = onlyItem(r.json, 'Create Session');
				const w = onlyItem(r.json, 'Wait Briefly');
				assertEqual(w.status, 'timed_out', 'status');
				assertEqual(w.reply, null, 'reply');
				assertEqual(w.final_message, null, 'final_message');
				assertEqual(w.session_id, created.id, 'session_id');
				assert(
					typeof w.reply_url === 'string' && w.reply_url.includes(String(created.thread_id)),
					`reply_url ${w.reply_url}`,
				);
				assert(
					typeof w.waited_ms === 'number' && w.waited_ms >= 2900 && w.waited_ms < 15_000,
					`waited_ms ${w.waited_ms}`,
				);
				assert(typeof w.polls === 'number' && w.polls >= 3, `polls ${w.polls}`);
				const polls = withKey(requests(), apiKey).filter(
					(e) =>
						e.method === 'GET' && e.path.includes(`/threads/${String(created.thread_id)}/messages`),
				);
				assertEqual(polls.length, w.polls, 'poll requests the emulator saw');
				return `${w.polls} polls in ${w.waited_ms} ms`;
			},
		);
	},
};
