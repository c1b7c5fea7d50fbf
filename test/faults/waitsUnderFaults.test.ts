import { type AgentPlan, type Fault } from '../../emulator';
import { callApi } from '../support/rawEmulator';
import { nodeError, nodeOutput, runNode } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';
import { WAIT_FAULTS } from '../support/faultKinds';
import { VirtualClock } from '../support/virtualClock';
import { waitForReplyOnClock, waitWhileTurnFinishes } from '../support/waitForReplyOnClock';

const api = useEmulator();
const polls = () => api.requestsTo('GET', /\/threads\/.+\/messages$/);

async function startTurn(): Promise<{ id: string; thread_id: string }> {
	return (
		await callApi(api.emulator.url, 'POST', '/rest/v1/sessions', {
			apiKey: api.apiKey,
			body: { agent_name: 'claude', message: 'work' },
		})
	).body;
}

/**
 * A follow-up in a session whose first turn has replied already, so a wait that took another
 * turn's reply for its own (a listing that ignores the thread) is caught too.
 */
async function startFollowUp(
	plan: 'manual' | 'never',
): Promise<{ chat_thread_id: string; _links: { final_message: { href: string } } }> {
	const unfinished: AgentPlan = plan === 'manual' ? { manual: true } : { never: true };
	api.emulator.setAgent((turn) =>
		turn.turnIndex === 0 ? { reply: 'an earlier turn' } : unfinished,
	);
	const session = await startTurn();
	const followUp = await callApi(
		api.emulator.url,
		'POST',
		`/rest/v1/sessions/${session.id}/messages`,
		{ apiKey: api.apiKey, body: { message: 'more work' } },
	);
	return followUp.body;
}

describe('no lost replies: a wait rides out faults while its max wait has time left', () => {
	test.each(WAIT_FAULTS)('%s', async (_name, fault) => {
		const followUp = await startFollowUp('manual');
		api.emulator.faults.add({ match: { method: 'GET' }, times: 3, fault });
		// The reply appears once the three faults have been served, while the wait sleeps.
		const run = await waitWhileTurnFinishes(
			api,
			{
				threadId: followUp.chat_thread_id,
				reply: 'still here',
				when: () => api.emulator.faults.applied() === 3,
			},
			{ replyUrl: followUp._links.final_message.href, maxWaitSeconds: 60 },
		);

		expect(nodeOutput(run, 'Blocks')[0].json).toMatchObject({
			status: 'replied',
			reply: 'still here',
		});
	});
});

describe('bounded: every wait ends by its max wait, under every fault', () => {
	test.each(WAIT_FAULTS)('%s without end, on a turn that never finishes', async (_name, fault) => {
		const followUp = await startFollowUp('never');
		api.emulator.faults.add({ match: { method: 'GET' }, times: Infinity, fault });
		const clock = new VirtualClock();

		const run = await waitForReplyOnClock(api, clock, {
			replyUrl: followUp._links.final_message.href,
			maxWaitSeconds: 2,
			onTimeout: 'output',
		});

		expect(nodeOutput(run, 'Blocks')[0].json.status).toBe('timed_out');
		// Polls, retries and back-offs all stop at the max wait: none sleeps past it.
		expect(clock.elapsed()).toBeLessThanOrEqual(2_000);
		expect(polls().length).toBeGreaterThanOrEqual(1);
	});

	test('an answer that stalls is cut off by the request time-out', async () => {
		const followUp = await startFollowUp('never');
		api.emulator.faults.add({ match: { method: 'GET' }, fault: { kind: 'stall', ms: 1_000 } });

		const run = await runNode(
			{
				resource: 'session',
				operation: 'waitForReply',
				replyUrl: followUp._links.final_message.href,
				pollIntervalSeconds: 1,
				maxWaitSeconds: 3,
			},
			{ credential: api.credential },
		);

		expect(nodeError(run, 'Blocks')?.message).toMatch(/No reply within 3 seconds/);
	});
});

describe('odd but valid answers', () => {
	test.each([
		['pull_requests as IDs', { kind: 'pullRequests', as: 'ids' }],
		['pull_requests as URLs', { kind: 'pullRequests', as: 'urls' }],
		['pull_requests as objects', { kind: 'pullRequests', as: 'objects' }],
		['unknown extra fields', { kind: 'extraFields' }],
	] as Array<[string, Fault]>)(
		'a session with %s is output as Blocks sent it',
		async (_name, fault) => {
			const session = await startTurn();
			api.emulator.faults.add({ fault });
			const run = await runNode(
				{ resource: 'session', operation: 'get', sessionId: session.id },
				{ credential: api.credential },
			);

			api.emulator.faults.add({ fault });
			const asSent = await callApi(api.emulator.url, 'GET', `/rest/v1/sessions/${session.id}`, {
				apiKey: api.apiKey,
			});
			expect(api.emulator.faults.applied()).toBe(2);
			expect(nodeOutput(run, 'Blocks')[0].json).toEqual(asSent.body);
		},
	);

	test('a 1 MiB reply arrives whole', async () => {
		api.emulator.faults.add({ fault: { kind: 'hugeReply', bytes: 1024 * 1024 } });

		const run = await runNode(
			{
				resource: 'session',
				operation: 'create',
				agentName: 'claude',
				message: 'big',
				waitForReply: true,
			},
			{ credential: api.credential },
		);

		expect(String(nodeOutput(run, 'Blocks')[0].json.reply).length).toBeGreaterThanOrEqual(
			1024 * 1024,
		);
	});

	test('replies with ts: null are still found and listed', async () => {
		api.emulator.faults.add({ fault: { kind: 'nullTs' } });

		const run = await runNode(
			{
				resource: 'session',
				operation: 'create',
				agentName: 'claude',
				message: 'when?',
				waitForReply: true,
			},
			{ credential: api.credential },
		);

		const [item] = nodeOutput(run, 'Blocks');
		expect(item.json).toMatchObject({ status: 'replied', final_message: { ts: null } });
	});

	test('a follow-up while the previous turn runs gets its own reply, the first turn is abandoned', async () => {
		api.emulator.setAgent((turn) =>
			turn.turnIndex === 0 ? { never: true } : { reply: 'second turn' },
		);
		const session = await startTurn();

		const run = await runNode(
			{
				resource: 'session',
				operation: 'sendMessage',
				sessionId: session.id,
				message: 'change of plan',
				waitForReply: true,
			},
			{ credential: api.credential },
		);

		expect(nodeOutput(run, 'Blocks')[0].json.reply).toBe('second turn');
		expect(api.emulator.threadState(session.thread_id).status).toBe('interrupted');
	});
});
