/** examples/nightly-code-review.workflow.json: the review's summary as an email-shaped item. */
import { assert, assertEqual } from '../checks';
import { verifyExample } from '../exampleChecks';
import { Scenario, onlyItem } from '../scenario';

const REVIEW = "Review Yesterday's Commits";

export const exampleNightlyReview: Scenario = {
	workflow: { example: 'nightly-code-review.workflow.json' },

	async verify(run) {
		assert(
			run.workflow.nodes.some((n) => n.type === 'n8n-nodes-base.scheduleTrigger'),
			'the example has no Schedule Trigger',
		);
		if (!(await verifyExample(run, { replies: [REVIEW] }))) return;
		await run.check(`example ${run.fileName}: "Email" holds to, subject and the summary`, () => {
			const review = onlyItem(run.result.json, REVIEW);
			const email = onlyItem(run.result.json, 'Email');
			assertEqual(email.to, 'team@example.com', 'to');
			assert(
				/^Nightly code review, \d{4}-\d{2}-\d{2}$/.test(String(email.subject)),
				`subject "${String(email.subject)}"`,
			);
			assertEqual(email.text, review.reply, 'text');
			assertEqual(email.session_id, review.session_id, 'session_id');
			return `"${String(email.subject)}"`;
		});
	},
};
