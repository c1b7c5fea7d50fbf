import * as fs from 'node:fs';
import * as path from 'node:path';

import { BlocksApi } from '../../credentials/BlocksApi.credentials';
import { callApi } from '../support/rawEmulator';
import { ActivePollingWorkflow, nodeOutput, type WorkflowJson } from '../engine';
import { Blocks } from '../../nodes/Blocks/Blocks.node';
import { BlocksTrigger } from '../../nodes/Blocks/BlocksTrigger.node';
import { budgetFor } from '../../nodes/Blocks/transport/rateBudget';
import { useEmulator } from '../support/emulatorFixture';
import { activateTrigger, testTrigger, texts, TRIGGER, TRIGGER_TYPE } from './triggerRun';
import { NODE_TYPE } from '../../nodes/Blocks/identity';

const api = useEmulator();

/** A session whose turns finish only when the test says; its first turn already replied. */
async function sessionWithReply(reply = 'First reply') {
	api.emulator.setAgent(() => ({ manual: true }));
	const created = await api.startSession('Start');
	const sessionId = created.id as string;
	api.emulator.finishTurn(created.thread_id, reply);
	return {
		sessionId,
		firstThread: created.thread_id as string,
		/** Sends a follow-up and lets the agent answer it; returns the new thread. */
		async reply(text: string): Promise<string> {
			const sent = await api.sendFollowUp(sessionId, `Please: ${text}`);
			api.emulator.finishTurn(sent.chat_thread_id, text);
			return sent.chat_thread_id as string;
		},
	};
}

async function replyTs(sessionId: string, text: string): Promise<number> {
	const listed = await callApi(
		api.emulator.url,
		'GET',
		`/rest/v1/sessions/${sessionId}/messages?type=final_message&limit=100`,
		{ apiKey: api.apiKey },
	);
	return listed.body.items.find((item: { message: string }) => item.message === text).ts;
}

const listingsOf = (sessionId: string) =>
	api.requestsTo('GET', new RegExp(`/sessions/${sessionId}/messages$`));

describe('Blocks Trigger: cursor', () => {
	test('fires once per new reply, with the session and thread IDs, and never for replies from before activation', async () => {
		const session = await sessionWithReply();
		const { active, first } = await activateTrigger(
			{ sessionIds: session.sessionId },
			api.credential,
		);
		expect(first).toBeNull();

		const thread = await session.reply('Second reply');
		const fired = await active.poll();

		expect(texts(fired)).toEqual(['Second reply']);
		expect(fired![0].json).toMatchObject({
			session_id: session.sessionId,
			thread_id: thread,
			chat_id: session.sessionId,
			chat_thread_id: thread,
			type: 'final_message',
			role: 'assistant',
		});
		expect(await active.poll()).toBeNull();
		expect(await active.poll()).toBeNull();
	});

	test('Include Existing Messages fires for the replies already there, on the first poll', async () => {
		const session = await sessionWithReply('Old reply');
		await session.reply('Newer reply');

		const { active, first } = await activateTrigger(
			{ sessionIds: session.sessionId, includeExisting: true },
			api.credential,
		);

		expect(texts(first)).toEqual(['Old reply', 'Newer reply']);
		expect(await active.poll()).toBeNull();
	});

	test('several sessions, one per line, fire oldest first in one poll', async () => {
		const one = await sessionWithReply();
		const two = await sessionWithReply();
		const { active } = await activateTrigger(
			{ sessionIds: `${one.sessionId}\n\n${two.sessionId.toUpperCase()}\n` },
			api.credential,
		);

		await two.reply('From two');
		await one.reply('From one');
		const fired = await active.poll();

		expect(texts(fired)).toEqual(['From two', 'From one']);
		expect(fired!.map((item) => item.json.session_id)).toEqual([two.sessionId, one.sessionId]);
	});

	test('messages listed again by later polls (the overlap before the cursor) fire only once', async () => {
		const session = await sessionWithReply();
		const { active } = await activateTrigger({ sessionIds: session.sessionId }, api.credential);
		await session.reply('Once');
		expect(texts(await active.poll())).toEqual(['Once']);
		const ts = await replyTs(session.sessionId, 'Once');

		expect(await active.poll()).toBeNull();
		expect(await active.poll()).toBeNull();

		// Each later poll asked from before the reply's ts, so Blocks listed it again.
		const cursors = listingsOf(session.sessionId)
			.map((entry) => new URLSearchParams(entry.query).get('gts'))
			.filter((gts): gts is string => gts !== null)
			.map(Number);
		expect(cursors.slice(-2).every((gts) => gts < ts)).toBe(true);
	});
});

describe('Blocks Trigger: overlapping polls', () => {
	test('a poll that starts while the previous one still runs fires nothing, so nothing fires twice', async () => {
		const session = await sessionWithReply();
		const { active } = await activateTrigger({ sessionIds: session.sessionId }, api.credential);
		await session.reply('Only once');

		const outcomes = await Promise.all([active.poll(), active.poll()]);

		expect(outcomes.map(texts)).toEqual([['Only once'], null]);
		expect(await active.poll()).toBeNull();
	});
});

describe('Blocks Trigger: equal and missing ts', () => {
	test('a message with the same ts as one already fired still fires, once', async () => {
		const session = await sessionWithReply();
		const { active } = await activateTrigger({ sessionIds: session.sessionId }, api.credential);
		const thread = await session.reply('First of a pair');
		expect(texts(await active.poll())).toEqual(['First of a pair']);

		const ts = await replyTs(session.sessionId, 'First of a pair');
		api.emulator.addAgentMessage(thread, { message: 'Second of a pair', ts });

		expect(texts(await active.poll())).toEqual(['Second of a pair']);
		expect(await active.poll()).toBeNull();
	});

	test('a message stored after the cursor moved on, with an earlier ts, still fires, once', async () => {
		const session = await sessionWithReply();
		const { active } = await activateTrigger({ sessionIds: session.sessionId }, api.credential);
		const thread = await session.reply('Newest');
		expect(texts(await active.poll())).toEqual(['Newest']);

		const ts = await replyTs(session.sessionId, 'Newest');
		api.emulator.addAgentMessage(thread, { message: 'Late', ts: ts - 20 });

		expect(texts(await active.poll())).toEqual(['Late']);
		expect(await active.poll()).toBeNull();
	});

	test('a reply without ts (which gts never lists) fires once; one from before activation never', async () => {
		const session = await sessionWithReply();
		api.emulator.addAgentMessage(session.firstThread, { message: 'Old, no ts', ts: null });
		const { active, first } = await activateTrigger(
			{ sessionIds: session.sessionId },
			api.credential,
		);
		expect(first).toBeNull();

		api.emulator.faults.add({ fault: { kind: 'nullTs' } });
		await session.reply('New, no ts');

		expect(texts(await active.poll())).toEqual(['New, no ts']);
		expect(await active.poll()).toBeNull();
	});
});

describe('Blocks Trigger: restarts', () => {
	test('after a restart, fires what arrived while n8n was down, once, and nothing it fired before', async () => {
		const session = await sessionWithReply();
		const before = await activateTrigger({ sessionIds: session.sessionId }, api.credential);
		await session.reply('Before the restart');
		expect(texts(await before.active.poll())).toEqual(['Before the restart']);

		// The cursor n8n saved when the poll fired.
		const ts = await replyTs(session.sessionId, 'Before the restart');
		expect(before.active.saved).toMatchObject({
			[`node:${TRIGGER}`]: { sessions: { [session.sessionId]: { gts: ts } } },
		});

		await session.reply('While down');
		const after = await before.active.restart();

		expect(texts(after.first)).toEqual(['While down']);
		expect(await after.active.poll()).toBeNull();
		const again = await after.active.restart();
		expect(again.first).toBeNull();
	});

	test('the cursor is read from the static data n8n saved', async () => {
		const session = await sessionWithReply('Already there');
		const ts = await replyTs(session.sessionId, 'Already there');
		const saved = {
			[`node:${TRIGGER}`]: {
				sessions: {
					[session.sessionId]: { gts: ts - 120, recent: {}, untimed: {}, untimedSince: 0 },
				},
			},
		};

		const { first } = await activateTrigger(
			{ sessionIds: session.sessionId },
			api.credential,
			saved,
		);

		expect(texts(first)).toEqual(['Already there']);
	});

	test('a deactivated and reactivated workflow goes on from where it was', async () => {
		const session = await sessionWithReply();
		const { active } = await activateTrigger({ sessionIds: session.sessionId }, api.credential);
		const saved = active.deactivate();

		await session.reply('While inactive');
		const reactivated = await activateTrigger(
			{ sessionIds: session.sessionId },
			api.credential,
			saved,
		);

		expect(texts(reactivated.first)).toEqual(['While inactive']);
	});
});

describe('Blocks Trigger: filters, manual test, errors, budget', () => {
	test('Message Types and Role choose what fires: tool calls of the agent only', async () => {
		const session = await sessionWithReply();
		api.emulator.setAgent(() => ({
			reply: 'Done',
			toolCalls: [{ name: 'read_file', args: { path: 'README.md' } }],
		}));
		const { active } = await activateTrigger(
			{ sessionIds: session.sessionId, messageTypes: ['tool_call'], role: 'assistant' },
			api.credential,
		);

		await api.sendFollowUp(session.sessionId, 'Read the README');
		const fired = await active.poll();

		expect(fired!.map((item) => item.json.type)).toEqual(['tool_call']);
		expect(JSON.parse(String(fired![0].json.message))).toEqual({
			__name__: 'read_file',
			path: 'README.md',
		});
	});

	test('the manual test outputs the newest matching message of the sessions', async () => {
		const one = await sessionWithReply();
		const two = await sessionWithReply();
		await one.reply('Older');
		await two.reply('Newest of all');

		const run = await testTrigger(
			{ sessionIds: `${one.sessionId}, ${two.sessionId}` },
			api.credential,
		);

		expect(nodeOutput(run, TRIGGER).map((item) => item.json.message)).toEqual(['Newest of all']);
		expect(nodeOutput(run, TRIGGER)[0].json.session_id).toBe(two.sessionId);
	});

	test('a session ID that is not a UUID fails activation before any request, naming the field', async () => {
		await expect(
			activateTrigger({ sessionIds: 'a196cec6\nnot-a-session' }, api.credential),
		).rejects.toThrow(/^Session IDs must be UUIDs, got "a196cec6"/);
		expect(api.emulator.requests).toHaveLength(0);
	});

	test('an unknown session fails the poll with Blocks’ 404, naming the session', async () => {
		const unknown = '0f8fad5b-d9cb-469f-a165-70867728950e';
		await expect(activateTrigger({ sessionIds: unknown }, api.credential)).rejects.toThrow(
			new RegExp(`404.*in session ${unknown}`),
		);
	});

	test('polls draw from the key’s one request budget, which the Blocks node uses too', async () => {
		const session = await sessionWithReply();
		const credential = { ...api.credential, requestsPerMinute: 2, reservedPercent: 0 };
		const budget = budgetFor(credential.apiKey, credential.baseUrl, {
			requestsPerMinute: 2,
			reservedShare: 0,
		});
		expect(budget.expectedWaitMs()).toBe(0);

		await activateTrigger({ sessionIds: session.sessionId }, credential);

		expect(budget.expectedWaitMs()).toBeGreaterThan(0);
	});
});

describe('examples/trigger.workflow.json', () => {
	test('fires for a new reply once its Session IDs name a real session', async () => {
		const session = await sessionWithReply();
		const example = JSON.parse(
			fs.readFileSync(path.join(__dirname, '../../examples/trigger.workflow.json'), 'utf8'),
		) as WorkflowJson;
		const trigger = example.nodes.find((node) => node.type === TRIGGER_TYPE)!;
		trigger.parameters.sessionIds = session.sessionId;
		const { active } = await ActivePollingWorkflow.activate({
			workflow: example,
			triggerNode: trigger.name,
			nodeTypes: { [TRIGGER_TYPE]: new BlocksTrigger(), [NODE_TYPE]: new Blocks() },
			credentialTypes: { blocksApi: new BlocksApi() },
			credentials: { blocksApi: { ...api.credential } },
		});

		await session.reply('Relayed');

		expect(texts(await active.poll())).toEqual(['Relayed']);
	});
});
