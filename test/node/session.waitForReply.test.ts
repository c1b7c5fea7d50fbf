import { BlocksEmulator } from '../../emulator';
import type { JsonBody } from '../support/rawEmulator';
import { blocksNode, chain, nodeError, nodeOutput, runBlocks, runNode } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';
import { until } from '../support/until';
import { onClock, VirtualClock } from '../support/virtualClock';
import { waitForReplyOnClock, waitWhileTurnFinishes } from '../support/waitForReplyOnClock';
import { ManualClock } from '../support/manualClock';

const api = useEmulator();

async function startTurn(): Promise<{
	id: string;
	thread_id: string;
	_links: { final_message: { href: string } };
}> {
	return api.startSession('Write the release notes');
}

/** A session, then a follow-up sent over the API. */
async function sessionWithFollowUp() {
	const session = await startTurn();
	return { session, followUp: await api.sendFollowUp(session.id, 'Now the changelog') };
}

const polls = () => api.requestsTo('GET', /\/threads\/.+\/messages$/);

describe('Wait for Reply', () => {
	test('the default Reply URL chains straight after Create Session', async () => {
		api.emulator.setAgent(() => ({ reply: 'Release notes written' }));
		const workflow = chain(
			blocksNode('Create', {
				resource: 'session',
				operation: 'create',
				agentName: 'claude',
				message: 'Go',
			}),
			blocksNode('Wait', { resource: 'session', operation: 'waitForReply' }),
		);

		const run = await runBlocks(workflow, { credential: api.credential });

		const [created] = nodeOutput(run, 'Create');
		const [waited] = nodeOutput(run, 'Wait');
		expect(waited.json).toMatchObject({
			status: 'replied',
			reply: 'Release notes written',
			session_id: created.json.id,
		});
		expect(waited.pairedItem).toEqual({ item: 0 });
	});

	test('waits by session and thread ID, polling until the turn finishes', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const session = await startTurn();
		// The turn finishes while the wait sleeps after its first poll.
		const run = await waitWhileTurnFinishes(
			api,
			{ threadId: session.thread_id, reply: 'All done', when: () => polls().length === 1 },
			{ replySource: 'thread', sessionId: session.id, threadId: session.thread_id },
		);

		const [item] = nodeOutput(run, 'Blocks');
		expect(item.json).toMatchObject({
			status: 'replied',
			reply: 'All done',
			thread_id: session.thread_id,
		});
		expect(item.json.polls).toBe(polls().length);
		expect(item.json.polls).toBeGreaterThanOrEqual(2);
	});

	test('a final message from the user side is not taken for the reply', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const session = await startTurn();
		// A deployment that ignores the role filter answers the first poll with the user's side.
		api.emulator.faults.add({
			match: { method: 'GET' },
			fault: {
				kind: 'status',
				status: 200,
				body: JSON.stringify({
					items: [{ type: 'final_message', role: 'user', message: 'Write the release notes' }],
				}),
			},
		});
		const run = await waitWhileTurnFinishes(
			api,
			{ threadId: session.thread_id, reply: 'Notes written', when: () => polls().length === 1 },
			{ replyUrl: session._links.final_message.href },
		);

		expect(nodeOutput(run, 'Blocks')[0].json).toMatchObject({
			status: 'replied',
			reply: 'Notes written',
			polls: 2,
		});
	});

	test("another turn's reply is not taken for this one's, though the server ignores the thread", async () => {
		api.emulator.setAgent((turn) =>
			turn.turnIndex === 0 ? { reply: 'Notes for the first turn' } : { manual: true },
		);
		const { followUp } = await sessionWithFollowUp();
		api.emulator.faults.add({
			match: { method: 'GET' },
			times: Infinity,
			fault: { kind: 'ignoreThreadFilter' },
		});
		const run = await waitWhileTurnFinishes(
			api,
			{
				threadId: followUp.chat_thread_id,
				reply: 'Changelog done',
				when: () => polls().length === 1,
			},
			{ replyUrl: followUp._links.final_message.href },
		);

		expect(nodeOutput(run, 'Blocks')[0].json).toMatchObject({
			status: 'replied',
			reply: 'Changelog done',
			thread_id: followUp.chat_thread_id,
			polls: 2,
		});
		expect(api.emulator.faults.applied()).toBe(2);
	});

	describe('a deployment that labels every message with the first thread', () => {
		/** A follow-up whose reply is in, listed (as Blocks' mock server lists it) under the first thread. */
		async function answeredFollowUp() {
			api.emulator.setAgent((turn) =>
				turn.turnIndex === 0 ? { reply: 'Notes for the first turn' } : { reply: 'Changelog done' },
			);
			const { session, followUp } = await sessionWithFollowUp();
			api.emulator.faults.add({
				match: { method: 'GET' },
				times: Infinity,
				fault: { kind: 'firstThreadLabels' },
			});
			return { session, followUp };
		}

		test('the reply is still refused, and the timed-out item says what was refused and why', async () => {
			const { session, followUp } = await answeredFollowUp();

			const run = await waitForReplyOnClock(api, new VirtualClock(), {
				replyUrl: followUp._links.final_message.href,
				maxWaitSeconds: 3,
				onTimeout: 'output',
			});

			const [item] = nodeOutput(run, 'Blocks');
			expect(item.json).toMatchObject({
				status: 'timed_out',
				reply: null,
				thread_id: followUp.chat_thread_id,
				// Every poll saw the same message: it counts once.
				refused_replies: { count: 1, thread_ids: [session.thread_id] },
			});
			expect(item.json.polls).toBeGreaterThan(1);
		});

		test('with "Fail the Item" the error names the other thread and the reply link', async () => {
			const { session, followUp } = await answeredFollowUp();

			const run = await waitForReplyOnClock(api, new VirtualClock(), {
				replyUrl: followUp._links.final_message.href,
				maxWaitSeconds: 2,
			});

			const error = nodeError(run, 'Blocks');
			expect(error?.message).toMatch(/No reply within 2 seconds/);
			expect(error?.description).toContain(
				`The reply link answered with a final message of another thread (${session.thread_id}), not this turn's thread ${followUp.chat_thread_id}`,
			);
		});

		test('a wait that simply times out says nothing about other threads', async () => {
			api.emulator.setAgent(() => ({ never: true }));
			const session = await startTurn();
			api.emulator.faults.add({ times: Infinity, fault: { kind: 'firstThreadLabels' } });

			const run = await waitForReplyOnClock(api, new VirtualClock(), {
				replyUrl: session._links.final_message.href,
				maxWaitSeconds: 2,
				onTimeout: 'output',
			});

			expect(nodeOutput(run, 'Blocks')[0].json).not.toHaveProperty('refused_replies');
		});
	});

	test('a link naming another host is followed on the credential origin, never on that host', async () => {
		const foreign = await BlocksEmulator.startForeignHost();
		const linking = await BlocksEmulator.start({ linkBaseUrl: foreign.url });
		try {
			const run = await runBlocks(
				chain(
					blocksNode('Create', {
						resource: 'session',
						operation: 'create',
						agentName: 'claude',
						message: 'Go',
					}),
					blocksNode('Wait', { resource: 'session', operation: 'waitForReply' }),
				),
				{ credential: { apiKey: linking.apiKey, baseUrl: linking.url } },
			);

			const [created] = nodeOutput(run, 'Create');
			expect((created.json._links as JsonBody).final_message.href.startsWith(foreign.url)).toBe(
				true,
			);
			expect(nodeOutput(run, 'Wait')[0].json).toMatchObject({ status: 'replied' });
			expect(nodeOutput(run, 'Wait')[0].json.reply_url).toMatch(new RegExp(`^${linking.url}/`));
			expect(foreign.requests).toHaveLength(0);
		} finally {
			await linking.close();
			await foreign.close();
		}
	});

	test('on time-out with "Fail the Item", the error says the agent may still be working', async () => {
		api.emulator.setAgent(() => ({ never: true }));
		const session = await startTurn();

		const run = await waitForReplyOnClock(api, new VirtualClock(), {
			replyUrl: session._links.final_message.href,
			maxWaitSeconds: 1,
		});

		const error = nodeError(run, 'Blocks');
		expect(error?.message).toMatch(/No reply within 1 seconds/);
		expect(error?.description).toMatch(/may still be working/);
	});

	test('on time-out with "Output Item", emits a timed_out item with the reply URL to resume', async () => {
		api.emulator.setAgent(() => ({ never: true }));
		const session = await startTurn();
		const clock = new VirtualClock();

		const run = await waitForReplyOnClock(api, clock, {
			replyUrl: session._links.final_message.href,
			maxWaitSeconds: 2,
			onTimeout: 'output',
		});

		const [item] = nodeOutput(run, 'Blocks');
		expect(item.json).toMatchObject({
			status: 'timed_out',
			reply: null,
			final_message: null,
			session_id: session.id,
		});
		expect(item.json.reply_url).toBe(session._links.final_message.href);
		// It waited its max wait to the millisecond, and not a moment longer.
		expect(item.json.waited_ms).toBe(2_000);
		expect(clock.elapsed()).toBe(2_000);
		expect(item.json.polls).toBe(polls().length);
	});

	test('a 429 and a 503 during the wait do not lose the reply', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const session = await startTurn();
		api.emulator.faults.add({
			match: { method: 'GET' },
			fault: { kind: 'status', status: 429, headers: { 'Retry-After': '0' } },
		});
		api.emulator.faults.add({ match: { method: 'GET' }, fault: { kind: 'status', status: 503 } });
		// The reply exists once a poll has got through the faults.
		const run = await waitWhileTurnFinishes(
			api,
			{
				threadId: session.thread_id,
				reply: 'Survived',
				when: () => polls().some((entry) => entry.status === 200),
			},
			{ replyUrl: session._links.final_message.href },
		);

		expect(nodeOutput(run, 'Blocks')[0].json).toMatchObject({
			status: 'replied',
			reply: 'Survived',
		});
		expect(
			polls()
				.slice(0, 2)
				.map((entry) => entry.status),
		).toEqual([429, 503]);
	});

	test('cancelling the execution stops the wait in its sleep', async () => {
		api.emulator.setAgent(() => ({ never: true }));
		const session = await startTurn();
		const cancel = new AbortController();
		const clock = new ManualClock();

		await onClock(clock, async () => {
			const run = runNode(
				{
					resource: 'session',
					operation: 'waitForReply',
					replyUrl: session._links.final_message.href,
					pollIntervalSeconds: 30,
					maxWaitSeconds: 600,
				},
				{ credential: api.credential, cancel: cancel.signal },
			);
			await until(() => polls().length === 1 && clock.pendingSleeps() === 1, 'the first poll');

			cancel.abort();

			expect(nodeError(await run, 'Blocks')?.message).toMatch(/cancelled/);
			expect(clock.pendingSleeps()).toBe(0);
			expect(polls()).toHaveLength(1);
		});
	});

	test.each([
		[
			'a default Reply URL that finds no link in the input',
			undefined,
			/Reply URL is empty \(item 0\)/,
		],
		[
			'a URL that is not a thread messages link',
			'https://api.blocks.team/rest/v1/sessions',
			/Reply URL is not a Blocks thread messages link/,
		],
		['a path-like value', '../x', /Reply URL is not a Blocks thread messages link/],
	])('rejects %s before any request', async (_name, replyUrl, message) => {
		const parameters = {
			resource: 'session',
			operation: 'waitForReply',
			...(replyUrl === undefined ? {} : { replyUrl }),
		};
		const run = await runNode(parameters, { credential: api.credential });

		expect(nodeError(run, 'Blocks')?.message).toMatch(message);
		expect(api.emulator.requests).toHaveLength(0);
	});
});
