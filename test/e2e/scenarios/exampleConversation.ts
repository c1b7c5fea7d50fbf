/** examples/conversation.workflow.json as shipped: a question, its reply, a follow-up, its reply. */
import { verifyExample } from '../exampleChecks';
import { Scenario } from '../scenario';

export const exampleConversation: Scenario = {
	workflow: { example: 'conversation.workflow.json' },

	async verify(run) {
		await verifyExample(run, {
			replies: ['Wait for Reply', 'Wait for Follow-up Reply'],
			oneSession: true,
		});
	},
};
