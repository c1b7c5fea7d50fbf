import { nodeError, runNode } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';

const api = useEmulator();

const createFromItems = (more: Record<string, unknown> = {}) => ({
	resource: 'session',
	operation: 'create',
	agentName: 'claude',
	message: '={{ $json.message }}',
	...more,
});

const UUID = '[0-9a-f-]{36}';

describe('a node that fails without Continue On Fail names every turn it started', () => {
	test('waits under "Fail the Item": the first time-out stops the others, and the error lists all three', async () => {
		api.emulator.setAgent((turn) =>
			turn.message === 'quick' ? { reply: 'Done at once' } : { never: true },
		);

		const run = await runNode(
			createFromItems({ waitForReply: true, maxWaitSeconds: 2, pollIntervalSeconds: 1 }),
			{
				credential: api.credential,
				input: [{ message: 'quick' }, { message: 'slow' }, { message: 'slower' }],
			},
		);

		const error = nodeError(run, 'Blocks');
		expect(error?.message).toMatch(/^No reply within 2 seconds/);
		const sessions = api.emulator.sessionIds();
		expect(sessions).toHaveLength(3);
		const lines = String(error?.description)
			.split('\n')
			.filter((line) => line.startsWith('- '));
		expect(lines).toEqual(
			sessions.map((session, item) =>
				expect.stringMatching(
					new RegExp(
						`^- item ${item}: session ${session}, ${item === 0 ? 'replied' : 'no reply yet'}, reply URL ${api.emulator.url}/rest/v1/sessions/${session}/threads/${UUID}/messages\\?type=final_message&role=assistant$`,
					),
				),
			),
		);
		expect(error?.description).toMatch(/started 3 turns in Blocks when it stopped/);
	});

	test('without waiting: a bad item after two creates names those two sessions', async () => {
		const run = await runNode(createFromItems(), {
			credential: api.credential,
			input: [{ message: 'one' }, { message: 'two' }, { message: '' }],
		});

		const error = nodeError(run, 'Blocks');
		expect(error?.message).toBe('Message is empty (item 2)');
		const sessions = api.emulator.sessionIds();
		expect(sessions).toHaveLength(2);
		for (const session of sessions) expect(error?.description).toContain(`session ${session}`);
		expect(error?.description).toMatch(/started 2 turns in Blocks/);
	});

	test('a node that started nothing keeps its error as it was', async () => {
		const run = await runNode(createFromItems(), {
			credential: api.credential,
			input: [{ message: '' }],
		});

		expect(nodeError(run, 'Blocks')?.description).not.toMatch(/turns? in Blocks/);
	});
});
