/** examples/fan-out-parallel-waits.workflow.json: one session per item, all waited on together. */
import { assert, assertEqual } from '../checks';
import { verifyExample } from '../exampleChecks';
import { Scenario, outputItems } from '../scenario';
import { replyTo } from '../testAgent';

const REPOSITORIES = ['api', 'web', 'docs', 'mobile', 'infra'];
const POLL = /\/threads\/([0-9a-f-]{36})\/messages/;

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
			`example ${run.fileName}: the waits run together (the polls of the sessions interleave)`,
			() => {
				const order = run
					.requests()
					.filter((e) => e.method === 'GET')
					.map((e) => POLL.exec(e.path)?.[1])
					.filter((t): t is string => t !== undefined);
				// waits one after another would poll each thread in one unbroken run
				const runs = order.filter((t, i) => i === 0 || order[i - 1] !== t).length;
				const threads = new Set(order).size;
				assertEqual(threads, REPOSITORIES.length, 'threads polled');
				assert(runs > threads, `the polls came thread by thread: ${order.join(' ')}`);
				return `${order.length} polls in ${runs} runs over ${threads} threads`;
			},
		);
	},
};
