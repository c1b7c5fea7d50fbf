/** examples/fan-out-parallel-waits.workflow.json: one session per item, all waited on together. */
import { assert, assertEqual } from '../checks';
import { verifyExample } from '../exampleChecks';
import { Scenario, outputItems } from '../scenario';
import { replyTo } from '../testAgent';

const REPOSITORIES = ['api', 'web', 'docs', 'mobile', 'infra'];
const POLL = /\/threads\/([0-9a-f-]{36})\/messages/;
const CREATE = /\/sessions$/;

export const exampleFanOut: Scenario = {
	workflow: { example: 'fan-out-parallel-waits.workflow.json' },

	async verify(run) {
		if (!(await verifyExample(run))) return;
		await run.check(
			`example ${run.fileName}: each repository's item gets its own session and reply, in order`,
			() => {
				const items = outputItems(run.result.json, 'Ask About Each');
				assertEqual(items.length, REPOSITORIES.length, 'items');
				items.forEach((item, i) => {
					const message = `List the three riskiest open issues in the ${REPOSITORIES[i]} repository.`;
					assertEqual(item.json.status, 'replied', `item ${i} status`);
					assertEqual(item.json.reply, replyTo(message), `item ${i} reply`);
					assertEqual(
						JSON.stringify(item.pairedItem),
						JSON.stringify({ item: i }),
						`item ${i} pairedItem`,
					);
				});
				const sessions = new Set(items.map((i) => i.json.session_id));
				assertEqual(sessions.size, REPOSITORIES.length, 'distinct sessions');
				return `${items.length} replies`;
			},
		);
		await run.check(
			`example ${run.fileName}: the waits run together (every session is started before the first reply is read, or the polls interleave)`,
			() => {
				const requests = run.requests();
				const order = requests
					.filter((e) => e.method === 'GET')
					.map((e) => POLL.exec(e.path)?.[1])
					.filter((t): t is string => t !== undefined);
				const threads = new Set(order).size;
				assertEqual(threads, REPOSITORIES.length, 'threads polled');
				// Waits one after another would read each session's reply before starting the next one.
				// Waits that run together either start every session before the first poll (on a busy
				// machine every reply may be there by then, one poll each), or interleave their polls.
				const firstPoll = requests.findIndex((e) => e.method === 'GET' && POLL.test(e.path));
				const startedFirst = requests
					.slice(0, firstPoll)
					.filter((e) => e.method === 'POST' && CREATE.test(e.path)).length;
				const runs = order.filter((t, i) => i === 0 || order[i - 1] !== t).length;
				assert(
					startedFirst === REPOSITORIES.length || runs > threads,
					`the sessions were waited on one by one: ${startedFirst} started before the first poll, polls ${order.join(' ')}`,
				);
				return `${startedFirst} sessions started before the first poll; ${order.length} polls in ${runs} runs over ${threads} threads`;
			},
		);
	},
};
