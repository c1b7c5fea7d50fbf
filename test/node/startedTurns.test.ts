import { nodeError, runNode } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';
import { until } from '../support/until';

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

	describe('a send that is out when the node stops', () => {
		const startSession = async () => (await api.startSession('Refactor the parser')).id as string;
		const followUpTo = (session: string) => new RegExp(`^/rest/v1/sessions/${session}/messages$`);
		/** Blocks takes the follow-up to `session` but holds its answer for `ms`. */
		const holdAnswerTo = (session: string, ms: number) =>
			api.emulator.faults.add({
				match: { method: 'POST', path: followUpTo(session) },
				fault: { kind: 'stall', ms },
			});
		const sendAndWait = {
			resource: 'session',
			operation: 'sendMessage',
			sessionId: '={{ $json.session }}',
			message: 'Fix the tests first',
			waitForReply: true,
			pollIntervalSeconds: 1,
		};

		test('stopped by another item: its answer is still taken, and its turn named', async () => {
			api.emulator.setAgent(() => ({ never: true }));
			const [first, second] = [await startSession(), await startSession()];
			// n8n gives an item's request the execution's cancel signal, not the item's: a stop
			// for another item's failure lets the send finish (within its 30 s time-out).
			holdAnswerTo(second, 3_000);

			const running = runNode(sendAndWait, {
				credential: api.credential,
				input: [{ session: first }, { session: second }],
			});
			await until(
				() => api.requestsTo('POST', followUpTo(second)).length === 1,
				'the second follow-up is out',
			);
			// Now the first item's wait fails: its next poll is refused.
			api.emulator.faults.add({
				match: { method: 'GET', path: new RegExp(`^/rest/v1/sessions/${first}/`) },
				fault: { kind: 'status', status: 400 },
			});
			const error = nodeError(await running, 'Blocks');

			expect(error?.message).toMatch(/^Blocks rejected the request \(400/);
			expect(api.emulator.followUpsFor(second)).toBe(1);
			for (const [item, session] of [first, second].entries()) {
				expect(error?.description).toMatch(
					new RegExp(`^- item ${item}: session ${session}, no reply yet, reply URL `, 'm'),
				);
			}
		});

		test('cut short by a cancel: named with what to check, as Blocks may have taken it', async () => {
			api.emulator.setAgent(() => ({ never: true }));
			const [first, second] = [await startSession(), await startSession()];
			holdAnswerTo(second, 120_000);
			const cancel = new AbortController();

			const running = runNode(sendAndWait, {
				credential: api.credential,
				input: [{ session: first }, { session: second }],
				cancel: cancel.signal,
			});
			await until(
				() => api.requestsTo('POST', followUpTo(second)).length === 1,
				'the second follow-up is out',
			);
			cancel.abort();
			const error = nodeError(await running, 'Blocks');

			expect(error?.message).toMatch(/cancelled/);
			expect(api.emulator.followUpsFor(second)).toBe(1);
			expect(error?.description).toMatch(
				new RegExp(`^- item 0: session ${first}, no reply yet, reply URL `, 'm'),
			);
			expect(error?.description).toContain(
				`- item 1: its send was cut short before Blocks answered. Blocks may have delivered the follow-up to session ${second}.`,
			);
		});
	});

	test('a node that started nothing keeps its error as it was', async () => {
		const run = await runNode(createFromItems(), {
			credential: api.credential,
			input: [{ message: '' }],
		});

		expect(nodeError(run, 'Blocks')?.description).not.toMatch(/turns? in Blocks/);
	});
});
