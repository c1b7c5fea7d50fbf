/** An invalid session ID fails the node before any request, naming the field. */
import { assert, assertEqual } from '../checks';
import { Scenario, describeFailure } from '../scenario';

export const invalidSessionId: Scenario = {
	workflow: { fixture: 'invalid-session-id.json' },

	async verify({ check, result: r, requests }) {
		await check(
			'invalid Session ID fails with a NodeOperationError naming the field (exit 1)',
			() => {
				assertEqual(r.run.code, 1, 'exit code');
				const err = r.json?.data?.resultData?.error;
				assert(err, `no error in the run JSON: ${describeFailure(r)}`);
				assertEqual(err.name, 'NodeOperationError', 'error name');
				assert(
					/Session ID/.test(err.message ?? '') && /not-a-session-id/.test(err.message ?? ''),
					`message: ${err.message}`,
				);
				assertEqual(err.node?.name, 'Get Session', 'failing node');
				assertEqual(requests().length, 0, 'requests sent');
				return err.message ?? '';
			},
		);
	},
};
