import { BlocksEmulator } from '../../emulator';
import { nodeOutput, runNode } from '../support/blocksRun';

let emulator: BlocksEmulator;
beforeAll(async () => {
	emulator = await BlocksEmulator.start();
});
afterAll(async () => await emulator.close());

test('create session returns the API session', async () => {
	const run = await runNode(
		{ resource: 'session', operation: 'create', agentName: 'claude', message: 'hello' },
		{ credential: { apiKey: emulator.apiKey, baseUrl: emulator.url } },
	);
	const items = nodeOutput(run, 'Blocks');
	expect(items).toHaveLength(1);
	expect(items[0].json.id).toEqual(emulator.sessionIds()[0]);
});

test('create with wait returns the reply', async () => {
	const run = await runNode(
		{ resource: 'session', operation: 'create', agentName: 'claude', message: 'hello', waitForReply: true },
		{ credential: { apiKey: emulator.apiKey, baseUrl: emulator.url } },
	);
	const items = nodeOutput(run, 'Blocks');
	expect(items[0].json).toMatchObject({ status: 'replied', reply: 'You said: hello' });
});
