/** A wrong API key: the credential error, sent once, not retried. */
import { assert, assertEqual } from '../checks';
import { WRONG_KEY } from '../credentials';
import { Scenario, describeFailure, withKey } from '../scenario';

export const badApiKey: Scenario = {
	workflow: { fixture: 'bad-api-key.json' },

	async verify({ check, result: r, requests }) {
		await check('wrong API key fails with the credential error (403, exit 1, not retried)', () => {
			assertEqual(r.run.code, 1, 'exit code');
			const err = r.json?.data?.resultData?.error;
			assert(err, `no error in the run JSON: ${describeFailure(r)}`);
			assertEqual(err.name, 'NodeApiError', 'error name');
			assertEqual(String(err.httpCode), '403', 'httpCode');
			assert(/API key/i.test(err.message ?? ''), `message: ${err.message}`);
			assert(/credential/i.test(String(err.description ?? '')), `description: ${err.description}`);
			const all = requests();
			const sent = withKey(all, WRONG_KEY);
			assertEqual(sent.length, 1, 'requests with the wrong key');
			assertEqual(sent[0].status, 403, 'emulator answer');
			assertEqual(all.length, 1, 'requests in total');
			return `${err.message} — ${err.description}`;
		});
	},
};
