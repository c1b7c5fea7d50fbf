import { nodeOutput, runNode } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';

const api = useEmulator();

describe('a key budget with no slot in time', () => {
	test('fails the item with its own error, not a 429, and says what to change', async () => {
		const run = await runNode(
			{
				resource: 'session',
				operation: 'create',
				agentName: 'claude',
				message: '={{ $json.task }}',
				waitForReply: true,
				maxWaitSeconds: 1,
				onTimeout: 'output',
			},
			{
				// One request a minute: the first create takes it, the second cannot get one in time.
				credential: { ...api.credential, requestsPerMinute: 1, reservedPercent: 0 },
				input: [{ task: 'first' }, { task: 'second' }],
				node: { onError: 'continueRegularOutput' },
			},
		);

		const [first, second] = nodeOutput(run, 'Blocks');
		expect(first.json).toMatchObject({ status: 'timed_out' });
		expect(second.pairedItem).toEqual({ item: 1 });
		expect(second.json.error).toMatch(
			/^The node held this request back to stay under the API key's limit \(1 requests per minute\)/,
		);
		expect(second.json.error).not.toMatch(/429/);
		expect(second.json.description).toMatch(/Nothing was sent/);
		expect(second.json.description).toMatch(/"Max Wait"/);
		expect(second.json.description).toMatch(/"Requests per Minute"/);
		expect(second.json.http_code).toBeUndefined();
		expect(api.requestsTo('POST', /^\/rest\/v1\/sessions$/)).toHaveLength(1);
	});
});
