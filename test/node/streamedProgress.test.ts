import type { IDataObject, INodeParameters, StructuredChunk } from 'n8n-workflow';

import { AI_AGENT_TYPE, asAiTool, scriptedAgent } from '../engine';
import { Blocks } from '../../nodes/Blocks/Blocks.node';
import { AI_AGENT, aiAgentWorkflow } from '../support/aiAgentWorkflow';
import {
	blocksNode,
	chain,
	nodeOutput,
	runBlocks,
	type BlocksRunOptions,
} from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';
import { onClock, VirtualClock } from '../support/virtualClock';
import { waitForReplyOnClock } from '../support/waitForReplyOnClock';
import { NODE_TYPE } from '../../nodes/Blocks/identity';

/**
 * Streamed progress: when the execution streams its response (as a Webhook set to "Respond:
 * Streaming" makes it), a wait sends the agent's new messages on the awaited thread as chunks,
 * as soon as a poll finds them, then the reply. The harness streams the run as n8n does: each
 * chunk the node sends reaches `onChunk` in order.
 */

const api = useEmulator();

const polls = () => api.requestsTo('GET', /\/threads\/.+\/messages$/);

interface Turn {
	id: string;
	thread_id: string;
	_links: { final_message: { href: string } };
}

async function startTurn(): Promise<Turn> {
	return (await api.startSession('Fix the flaky test')) as Turn;
}

/** The agent posts a message on its turn now, stamped as Blocks stamps it (epoch seconds). */
function agentSays(turn: Turn, message: string, type: 'message' | 'tool_call' = 'message') {
	api.emulator.addAgentMessage(turn.thread_id, { type, message, ts: Date.now() / 1000 });
}

/**
 * Item `n` of a listing, as Blocks lists an agent's message on `turn` now, unless `fields` say
 * otherwise.
 */
function listedItem(turn: Turn, n: number, fields: IDataObject): IDataObject {
	return {
		id: `a0000000-0000-4000-8000-00000000000${n}`,
		chat_thread_id: turn.thread_id,
		role: 'assistant',
		type: 'message',
		ts: Date.now() / 1000,
		...fields,
	};
}

/** The first poll is answered with these items, whatever it asked for. */
function firstPollLists(items: IDataObject[]) {
	api.emulator.faults.add({
		match: { method: 'GET' },
		fault: { kind: 'status', status: 200, body: JSON.stringify({ items }) },
	});
}

/** The chunks of a run, each with how many polls had been answered when it was sent. */
function chunkRecorder() {
	const chunks: Array<StructuredChunk & { afterPolls: number }> = [];
	return {
		chunks,
		onChunk: (chunk: StructuredChunk) => chunks.push({ ...chunk, afterPolls: polls().length }),
		/** type:content of each chunk, in order. */
		get sequence() {
			return chunks.map((c) => (c.type === 'item' ? `item:${c.content}` : c.type));
		},
	};
}

/** A script of the agent's turn: what it does after the given number of polls from now. */
function afterPolls(script: Record<number, () => void>): VirtualClock {
	const done = new Set<number>();
	const before = polls().length;
	return new VirtualClock(() => {
		const n = polls().length - before;
		if (script[n] && !done.has(n)) {
			done.add(n);
			script[n]();
		}
	});
}

/**
 * Waits for the reply of `turn` while the agent plays `script` (see afterPolls), on a run that
 * streams; returns the run and what it streamed.
 */
async function streamedWait(
	turn: Turn,
	script: Record<number, () => void>,
	more: INodeParameters = {},
	options: Partial<BlocksRunOptions> = {},
) {
	const recorder = chunkRecorder();
	const run = await waitForReplyOnClock(
		api,
		afterPolls(script),
		{ replyUrl: turn._links.final_message.href, ...more },
		{ onChunk: recorder.onChunk, ...options },
	);
	return { run, recorder };
}

/** Create Session with Wait for Reply, then `more`. */
function createAndWait(more: INodeParameters = {}): INodeParameters {
	return {
		resource: 'session',
		operation: 'create',
		agentName: 'claude',
		message: 'Go',
		waitForReply: true,
		...more,
	};
}

/** Runs Create Session with Wait for Reply on a run that streams; returns the run and what it streamed. */
async function streamedCreate(more: INodeParameters = {}) {
	const recorder = chunkRecorder();
	const run = await onClock(new VirtualClock(), () =>
		runBlocks(chain(blocksNode('Create', createAndWait(more))), {
			credential: api.credential,
			onChunk: recorder.onChunk,
		}),
	);
	return { run, recorder };
}

describe('Streamed progress', () => {
	test('each new message is streamed once, as soon as a poll finds it, and the reply last', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const turn = await startTurn();
		const { run, recorder } = await streamedWait(turn, {
			1: () => agentSays(turn, 'Reading the test and its fixtures.'),
			3: () => agentSays(turn, 'Found it: the test shares a port. Fixing.'),
			5: () => api.emulator.finishTurn(turn.thread_id, 'Fixed: the test now uses a free port.'),
		});

		expect(recorder.sequence).toEqual([
			'begin',
			'item:Reading the test and its fixtures.\n\n',
			'item:Found it: the test shares a port. Fixing.\n\n',
			'item:Fixed: the test now uses a free port.',
			'end',
		]);
		// Sent by the poll that found each: the 2nd, the 4th and the 6th.
		expect(recorder.chunks.filter((c) => c.type === 'item').map((c) => c.afterPolls)).toEqual([
			2, 4, 6,
		]);
		expect(recorder.chunks.every((c) => c.metadata.itemIndex === 0)).toBe(true);
		expect(recorder.chunks[0].metadata.nodeName).toBe('Blocks');
		expect(nodeOutput(run, 'Blocks')[0].json).toMatchObject({
			status: 'replied',
			reply: 'Fixed: the test now uses a free port.',
			polls: 6,
		});
	});

	test('each poll asks only for what is newer than the newest message seen (gts), one request a poll', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const turn = await startTurn();
		const { run } = await streamedWait(turn, {
			1: () => agentSays(turn, 'Step one.'),
			3: () => api.emulator.finishTurn(turn.thread_id, 'Done.'),
		});

		const queries = polls().map((entry) => new URLSearchParams(entry.query));
		expect(queries).toHaveLength(nodeOutput(run, 'Blocks')[0].json.polls as number);
		// Until a poll has found a message there is no cursor; from then on every poll has one.
		expect(queries.map((q) => q.has('gts'))).toEqual([false, false, true, true]);
		expect(queries[1].getAll('type').sort()).toEqual(['final_message', 'message']);
		expect(queries[1].get('role')).toBe('assistant');
	});

	test('tool calls become one-line notes only with "Agent Messages and Tool Calls"', async () => {
		const call = JSON.stringify({ __name__: 'Bash', command: 'npm test\n  -- --runInBand' });
		const script = (turn: Turn) => ({
			1: () => {
				agentSays(turn, call, 'tool_call');
				agentSays(turn, 'The tests pass.');
			},
			2: () => api.emulator.finishTurn(turn.thread_id, 'All green.'),
		});

		api.emulator.setAgent(() => ({ manual: true }));
		const plain = await startTurn();
		const { recorder: withoutNotes } = await streamedWait(plain, script(plain));
		expect(withoutNotes.sequence).toEqual([
			'begin',
			'item:The tests pass.\n\n',
			'item:All green.',
			'end',
		]);
		expect(polls().every((entry) => !entry.query.includes('tool_call'))).toBe(true);

		const noted = await startTurn();
		const { recorder: withNotes } = await streamedWait(noted, script(noted), {
			options: { streamProgress: 'messagesAndToolCalls' },
		});
		expect(withNotes.sequence).toEqual([
			'begin',
			'item:Tool call: Bash (command: npm test -- --runInBand)\n\n',
			'item:The tests pass.\n\n',
			'item:All green.',
			'end',
		]);
	});

	test('from a server that ignores the filters, neither tool calls (without the option), the user’s messages nor another turn’s are streamed', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const turn = await startTurn();
		firstPollLists([
			listedItem(turn, 1, {
				type: 'tool_call',
				message: JSON.stringify({ __name__: 'Bash', command: 'ls' }),
			}),
			listedItem(turn, 2, {
				chat_thread_id: 'b0000000-0000-4000-8000-000000000002',
				message: 'A message of another turn.',
			}),
			listedItem(turn, 3, { role: 'user', message: 'Fix the flaky test' }),
		]);
		const { recorder } = await streamedWait(turn, {
			1: () => api.emulator.finishTurn(turn.thread_id, 'Listed.'),
		});

		expect(recorder.sequence).toEqual(['begin', 'item:Listed.', 'end']);
	});

	test('messages listed out of order are streamed in the order the agent wrote them', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const turn = await startTurn();
		const writtenAt = Date.now() / 1000 - 2;
		// A deployment that ignores `direction=asc` answers newest first (docs/blocks-api.md §14.6).
		firstPollLists([
			listedItem(turn, 2, { message: 'Second.', ts: writtenAt + 2 }),
			listedItem(turn, 1, { message: 'First.', ts: writtenAt + 1 }),
		]);

		const { recorder } = await streamedWait(turn, {
			1: () => api.emulator.finishTurn(turn.thread_id, 'Done.'),
		});

		expect(recorder.sequence).toEqual([
			'begin',
			'item:First.\n\n',
			'item:Second.\n\n',
			'item:Done.',
			'end',
		]);
	});

	test("a reply already streamed as the thread's last message, a poll earlier, is not sent again", async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const turn = await startTurn();
		const { run, recorder } = await streamedWait(turn, {
			1: () => agentSays(turn, 'All done.'),
			3: () =>
				api.emulator.addAgentMessage(turn.thread_id, {
					type: 'final_message',
					message: 'All done.',
					ts: Date.now() / 1000,
				}),
		});

		expect(recorder.sequence).toEqual(['begin', 'item:All done.\n\n', 'end']);
		expect(nodeOutput(run, 'Blocks')[0].json).toMatchObject({ reply: 'All done.' });
	});

	test('more new messages than a page holds: the next poll goes on after the page, and the reply comes in time', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const turn = await startTurn();
		const steps = Array.from({ length: 130 }, (_, i) => `Step ${i + 1}.`);
		const { run, recorder } = await streamedWait(
			turn,
			{
				1: () => {
					// Stamped over the last second, before the reply.
					const from = Date.now() / 1000 - 1;
					steps.forEach((message, i) =>
						api.emulator.addAgentMessage(turn.thread_id, {
							type: 'message',
							message,
							ts: from + i / 1000,
						}),
					);
					api.emulator.finishTurn(turn.thread_id, 'All steps done.');
				},
			},
			{ maxWaitSeconds: 60 },
		);

		expect(recorder.sequence).toEqual([
			'begin',
			...steps.map((step) => `item:${step}\n\n`),
			'item:All steps done.',
			'end',
		]);
		// Found by the poll after the full page, long before the deadline's last look.
		expect(nodeOutput(run, 'Blocks')[0].json).toMatchObject({ status: 'replied', polls: 3 });
	});

	test('nothing is sent, and the wait polls the final-message filter, when the execution does not stream', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const turn = await startTurn();
		// n8n's chunk handler is there, but the execution does not stream its response.
		const { run, recorder } = await streamedWait(
			turn,
			{
				1: () => agentSays(turn, 'Working on it.'),
				2: () => api.emulator.finishTurn(turn.thread_id, 'Done.'),
			},
			{},
			{ streaming: false },
		);

		expect(recorder.chunks).toEqual([]);
		expect(nodeOutput(run, 'Blocks')[0].json).toMatchObject({ status: 'replied', reply: 'Done.' });
		expect(polls().map((entry) => entry.query)).toEqual(
			Array(3).fill('type=final_message&role=assistant'),
		);
	});

	test('Check Once streams the reply its one poll finds; while the turn runs, it streams nothing and answers Still Working at once', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const turn = await startTurn();
		agentSays(turn, 'Reading the test and its fixtures.');
		const checkOnce = { checkOnce: true, onTimeout: 'stillWorking' };

		const running = await streamedWait(turn, {}, checkOnce);
		expect(running.recorder.chunks.filter((c) => c.type === 'item')).toEqual([]);
		expect(nodeOutput(running.run, 'Blocks', { output: 1 })[0].json).toMatchObject({
			status: 'timed_out',
			polls: 1,
		});

		api.emulator.finishTurn(turn.thread_id, 'Fixed.');
		const replied = await streamedWait(turn, {}, checkOnce);
		expect(replied.recorder.sequence).toEqual(['begin', 'item:Fixed.', 'end']);
		expect(nodeOutput(replied.run, 'Blocks', { output: 0 })[0].json).toMatchObject({
			status: 'replied',
			polls: 1,
		});
		expect(polls()).toHaveLength(2);
	});

	test('"Stream Progress: Off" sends nothing while the execution streams', async () => {
		api.emulator.setAgent(() => ({ reply: 'Done.', delayMs: 0 }));

		const { run, recorder } = await streamedCreate({ options: { streamProgress: 'off' } });

		expect(nodeOutput(run, 'Create')[0].json).toMatchObject({ status: 'replied' });
		expect(recorder.chunks).toEqual([]);
	});

	test('Create Session with Wait for Reply streams the reply of the new session', async () => {
		api.emulator.setAgent(() => ({ reply: 'Hello from the agent.', delayMs: 0 }));

		const { recorder } = await streamedCreate();

		// The thread's last message repeats the reply (docs/blocks-api.md §3.4): sent once.
		expect(recorder.sequence).toEqual(['begin', 'item:Hello from the agent.', 'end']);
	});

	test('a tool of the AI Agent streams nothing: the model reads its answer, the agent streams its own', async () => {
		api.emulator.setAgent(() => ({ reply: 'Done.', delayMs: 0 }));
		const recorder = chunkRecorder();

		const run = await onClock(new VirtualClock(), () =>
			runBlocks(aiAgentWorkflow({ Ask: createAndWait() }), {
				credential: api.credential,
				onChunk: recorder.onChunk,
				nodeTypes: {
					[`${NODE_TYPE}Tool`]: asAiTool(new Blocks()),
					[AI_AGENT_TYPE]: scriptedAgent((seen) =>
						seen.length ? undefined : { tool: 'Ask', args: {} },
					),
				},
			}),
		);

		const [out] = nodeOutput(run, AI_AGENT);
		expect(JSON.stringify(out.json)).toContain('"status":"replied"');
		expect(recorder.chunks.filter((c) => c.metadata.nodeName === 'Ask')).toEqual([]);
	});

	test('items stream side by side, each under its own item index', async () => {
		api.emulator.setAgent((turn) => ({ reply: `Reply to ${turn.message}`, delayMs: 0 }));
		const recorder = chunkRecorder();

		await runBlocks(chain(blocksNode('Create', createAndWait({ message: '={{ $json.ask }}' }))), {
			credential: api.credential,
			input: [{ ask: 'A' }, { ask: 'B' }],
			onChunk: recorder.onChunk,
		});

		const byItem = (index: number) =>
			recorder.chunks
				.filter((c) => c.metadata.itemIndex === index)
				.map((c) => (c.type === 'item' ? c.content : c.type));
		expect(byItem(0)).toEqual(['begin', 'Reply to A', 'end']);
		expect(byItem(1)).toEqual(['begin', 'Reply to B', 'end']);
	});

	test('once an agent item without ts is seen, polls drop the cursor: later ones still arrive', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const turn = await startTurn();
		const unstamped = (message: string) =>
			api.emulator.addAgentMessage(turn.thread_id, { type: 'message', message, ts: null });
		const { run, recorder } = await streamedWait(turn, {
			1: () => {
				unstamped('Looking.');
				agentSays(turn, 'Reading the logs.');
			},
			// A gts filter can never list this one (docs/blocks-api.md §14.11).
			3: () => unstamped('Almost there.'),
			5: () => api.emulator.finishTurn(turn.thread_id, 'Found it.'),
		});

		expect(recorder.sequence).toEqual([
			'begin',
			'item:Looking.\n\n',
			'item:Reading the logs.\n\n',
			'item:Almost there.\n\n',
			'item:Found it.',
			'end',
		]);
		expect(polls().some((entry) => entry.query.includes('gts'))).toBe(false);
		expect(nodeOutput(run, 'Blocks')[0].json).toMatchObject({ status: 'replied' });
	});

	test('a reply stamped before the cursor is still found by the last poll, at the deadline', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const turn = await startTurn();
		const { run, recorder } = await streamedWait(
			turn,
			{
				1: () => agentSays(turn, 'Working.'),
				// Stored now, stamped a minute ago: no gts cursor past "Working." lists it.
				3: () =>
					api.emulator.addAgentMessage(turn.thread_id, {
						type: 'final_message',
						message: 'Late but here.',
						ts: Date.now() / 1000 - 60,
					}),
			},
			{ maxWaitSeconds: 10, onTimeout: 'output' },
		);

		expect(nodeOutput(run, 'Blocks')[0].json).toMatchObject({
			status: 'replied',
			reply: 'Late but here.',
			waited_ms: 10_000,
		});
		expect(polls().at(-1)?.query).toBe('type=final_message&role=assistant');
		expect(recorder.sequence).toEqual(['begin', 'item:Working.\n\n', 'item:Late but here.', 'end']);
	});

	test('a wait that times out closes what it streamed', async () => {
		api.emulator.setAgent(() => ({ manual: true }));
		const turn = await startTurn();
		const { recorder } = await streamedWait(
			turn,
			{ 1: () => agentSays(turn, 'Still cloning the repository.') },
			{ maxWaitSeconds: 3, onTimeout: 'output' },
		);

		expect(recorder.sequence).toEqual(['begin', 'item:Still cloning the repository.\n\n', 'end']);
	});
});
