import type { INodeParameters } from 'n8n-workflow';

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

describe('the fields that decide the node’s outputs take no expression', () => {
	const SESSION = '0f8fad5b-d9cb-469f-a165-70867728950e';
	const quick = { maxWaitSeconds: 1, pollIntervalSeconds: 1 };
	test.each<[string, INodeParameters, RegExp]>([
		[
			'Create: Wait for Reply as an expression',
			create({ waitForReply: '={{ true }}', onTimeout: 'stillWorking', ...quick }),
			/^Wait for Reply must be on or off, got "\{\{ true \}\}"/,
		],
		[
			'Send Message: On Timeout as an expression',
			{
				resource: 'session',
				operation: 'sendMessage',
				sessionId: SESSION,
				message: 'ok',
				waitForReply: true,
				onTimeout: '={{ "stillWorking" }}',
				...quick,
			},
			/^On Timeout must be one of error, output, stillWorking, got/,
		],
		[
			'Wait for Reply: On Timeout as an expression',
			{
				resource: 'session',
				operation: 'waitForReply',
				replySource: 'thread',
				sessionId: SESSION,
				threadId: '71562cd0-1f63-41b2-8382-10f2fdb1ac8b',
				onTimeout: '={{ $json.route }}',
				...quick,
			},
			/^On Timeout must be one of error, output, stillWorking, got/,
		],
	])(
		'%s fails the node before any request, naming the field',
		async (_name, parameters, message) => {
			const run = await runNode(parameters, {
				credential: api.credential,
				input: [{ route: 'stillWorking' }],
				node: { onError: 'continueRegularOutput' },
			});

			const error = nodeError(run, 'Blocks');
			expect(error?.name).toBe('NodeOperationError');
			expect(error?.message).toMatch(message);
			expect(error?.description).toMatch(/takes no expression/);
			expect(api.emulator.requests).toHaveLength(0);
		},
	);
});
