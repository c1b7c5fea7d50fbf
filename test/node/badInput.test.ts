import { nodeError, nodeOutput, runNode } from '../support/blocksRun';
import { BAD_INPUTS, create } from '../support/badInputs';
import { useEmulator } from '../support/emulatorFixture';

const api = useEmulator();

describe('bad input is rejected before any request, naming the field and the item', () => {
	test.each(BAD_INPUTS)('%s', async (_name, parameters, message) => {
		const run = await runNode(parameters, { credential: api.credential });

		const error = nodeError(run, 'Blocks');
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(message);
		expect(error?.message).toMatch(/\(item 0\)/);
		expect(api.emulator.requests).toHaveLength(0);
	});

	test('with Continue On Fail, every bad item is an error item and the good ones still run', async () => {
		const run = await runNode(create({ message: '={{ $json.message }}' }), {
			credential: api.credential,
			input: [{ message: '' }, { message: 'good' }, { message: 7 }, { message: 'also good' }],
			node: { onError: 'continueRegularOutput' },
		});

		const items = nodeOutput(run, 'Blocks');
		expect(items.map((item) => (item.json.error ? 'error' : 'session'))).toEqual([
			'error',
			'session',
			'error',
			'session',
		]);
		expect(items[2].json.error).toBe('Message must be text, got 7 (item 2)');
		expect(api.emulator.stats().sessionsCreated).toBe(2);
	});
});
