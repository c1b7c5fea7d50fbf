/**
 * examples/continue-on-fail-routing.workflow.json: with On Error "Continue", the failed
 * follow-ups come out as items with `error`, which an IF sends to their own branch, each still
 * knowing which input it came from; the good one goes on.
 */
import { assert, assertEqual } from '../checks';
import { verifyExample } from '../exampleChecks';
import { Scenario, outputItems, withKey } from '../scenario';
import { replyTo } from '../testAgent';

const UNKNOWN_SESSION = '00000000-0000-4000-8000-000000000000';
const MISTYPED_SESSION = 'not-a-session-id';

export const exampleContinueOnFail: Scenario = {
	workflow: { example: 'continue-on-fail-routing.workflow.json' },

	async verify(run) {
		if (!(await verifyExample(run))) return;
		const name = `example ${run.fileName}`;
		await run.check(`${name}: the follow-up to a live session reaches "Replies"`, () => {
			const replies = outputItems(run.result.json, 'Replies');
			assertEqual(replies.length, 1, 'items');
			assertEqual(replies[0].json.reply, replyTo('Add the changelog step.'), 'reply');
			return String(replies[0].json.reply);
		});
		await run.check(
			`${name}: the two failed follow-ups reach "Failed Items" with their error`,
			() => {
				const failed = outputItems(run.result.json, 'Failed Items').map((i) => i.json);
				assertEqual(failed.length, 2, 'items');
				assertEqual(failed[0].session_id, UNKNOWN_SESSION, 'first failed item');
				assert(
					/404|not found/i.test(String(failed[0].error)),
					`error "${String(failed[0].error)}"`,
				);
				assertEqual(failed[1].session_id, MISTYPED_SESSION, 'second failed item');
				assert(/Session ID/.test(String(failed[1].error)), `error "${String(failed[1].error)}"`);
				return failed.map((f) => `${String(f.session_id)}: ${String(f.error)}`).join(' | ');
			},
		);
		await run.check(`${name}: the unknown session is asked once, the mistyped one never`, () => {
			const posts = withKey(run.requests(), run.apiKey).filter((e) => e.method === 'POST');
			const toUnknown = posts.filter((e) => e.path.includes(UNKNOWN_SESSION));
			assertEqual(toUnknown.length, 1, 'follow-ups sent to the unknown session');
			assertEqual(toUnknown[0].status, 404, 'its answer');
			assertEqual(
				posts.filter((e) => e.path.includes(MISTYPED_SESSION)).length,
				0,
				'requests for the mistyped ID',
			);
			return `${posts.length} POSTs`;
		});
	},
};
