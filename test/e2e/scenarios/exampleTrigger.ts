/**
 * examples/trigger.workflow.json active in `n8n start`: the Blocks Trigger polls a session and
 * starts the workflow once for each new reply of the agent, never twice for one message across
 * poll cycles, and not for the reply that was there before activation. Adapted for the test: it
 * watches a session made in the emulator, and polls every 5 s rather than every minute, through
 * twelve Poll Times of one fixed second each (n8n refuses one expression that fires more than once
 * a minute: 2.x any seconds field but a single number, 1.x a `*` there).
 */
import { httpRequest } from '../../support/http';
import { pollUntil } from '../../support/pollUntil';
import type { ExecutionDetail, N8nRest } from '../../real-n8n/rest';
import type { WorkflowJson } from '../../real-n8n/workflowFiles';
import type { RequestLogEntry } from '../../../emulator';
import { assert, assertEqual } from '../checks';
import {
	executionWhen,
	nodeRuns,
	outputOf,
	type BlocksAccess,
	type ServerScenario,
	type ServerScenarioRun,
} from '../serverScenario';
import { replyTo } from '../testAgent';

const TRIGGER = 'New Reply in a Session';
const GET_SESSION = 'Get Session';
const POLL_EVERY_SECONDS = 5;
const FIRST_MESSAGE = 'Summarise the open issues.';
const FOLLOW_UPS = ['Now list the closed ones.', 'And the ones without a label.'];

/** The session each n8n version's trigger watches, by the key of that version's run. */
const watched = new Map<string, string>();

async function callBlocks(
	blocks: Pick<BlocksAccess, 'apiKey'> & { url: string },
	path: string,
	body: unknown,
): Promise<Record<string, unknown>> {
	const r = await httpRequest<Record<string, unknown>>('POST', `${blocks.url}/rest/v1${path}`, {
		body,
		headers: { authorization: `ApiKey ${blocks.apiKey}` },
	});
	assert(r.status === 200, `POST ${path} answered ${r.status}: ${r.text.slice(0, 200)}`);
	return r.body;
}

async function adapt(example: WorkflowJson, blocks: BlocksAccess): Promise<WorkflowJson> {
	const session = await callBlocks(
		{ url: blocks.emulator.url, apiKey: blocks.apiKey },
		'/sessions',
		{ agent_name: 'claude', message: FIRST_MESSAGE },
	);
	const sessionId = String(session.id);
	watched.set(blocks.apiKey, sessionId);
	const w = structuredClone(example);
	const trigger = w.nodes.find((n) => n.name === TRIGGER);
	assert(trigger?.parameters, `the example has no node "${TRIGGER}"`);
	trigger.parameters.sessionIds = sessionId;
	trigger.parameters.pollTimes = {
		item: Array.from({ length: 60 / POLL_EVERY_SECONDS }, (_, i) => ({
			mode: 'custom',
			cronExpression: `${i * POLL_EVERY_SECONDS} * * * * *`,
		})),
	};
	return w;
}

/** The trigger's polls of the session (each poll reads its newest page once, newest first). */
function pollsOf(requests: RequestLogEntry[], sessionId: string): RequestLogEntry[] {
	return requests.filter(
		(e) =>
			e.method === 'GET' &&
			e.path === `/rest/v1/sessions/${sessionId}/messages` &&
			new URLSearchParams(e.query).get('direction') === 'desc',
	);
}

/** Resolves once `count` more polls have been answered after `since` (epoch ms). */
async function pollCyclesAfter(
	run: ServerScenarioRun,
	sessionId: string,
	since: number,
	count: number,
): Promise<void> {
	await pollUntil(
		() =>
			pollsOf(run.requests(), sessionId).filter((e) => e.receivedAt > since && e.status === 200)
				.length >= count,
		{
			timeoutMs: (count + 2) * POLL_EVERY_SECONDS * 1000 + 30_000,
			intervalMs: 250,
			description: `${count} polls of the trigger after ${new Date(since).toISOString()}`,
		},
	);
}

async function executions(rest: N8nRest, workflowId: string): Promise<ExecutionDetail[]> {
	const list = await rest.executionsOf(workflowId);
	return await Promise.all(list.map(async (e) => await rest.execution(e.id)));
}

/** The trigger's items in one execution, after it finished. */
async function firedItems(rest: N8nRest, id: string): Promise<Array<Record<string, unknown>>> {
	const e = await executionWhen(rest, id, (x) => x.status !== 'running' && x.status !== 'new', {
		timeoutMs: 30_000,
		description: `execution ${id} to finish`,
	});
	assertEqual(e.status, 'success', `status of execution ${id}`);
	assertEqual(outputOf(nodeRuns(e, GET_SESSION)[0], 0).length, 1, `items into "${GET_SESSION}"`);
	return outputOf(nodeRuns(e, TRIGGER)[0], 0).map((item) => item.json);
}

export const exampleTrigger: ServerScenario = {
	workflow: { example: 'trigger.workflow.json' },
	adapt,
	activatedByRun: true,

	async run(run) {
		const { check, rest } = run;
		const workflowId = String(run.workflow.id);
		const sessionId = watched.get(run.apiKey);
		assert(sessionId, 'adapt() made no session for this run');
		const blocks = { url: run.emulator.url, apiKey: run.apiKey };
		const name = `example ${run.fileName} (active, polling every ${POLL_EVERY_SECONDS} s)`;
		const fired: Array<Record<string, unknown>> = [];
		try {
			const started = await check(
				`${name}: activates and polls; the reply there before activation does not fire`,
				async () => {
					const activatedAt = Date.now();
					await rest.activateWorkflow(workflowId);
					await pollCyclesAfter(run, sessionId, activatedAt, 3);
					assertEqual((await rest.executionsOf(workflowId)).length, 0, 'executions');
					return `${pollsOf(run.requests(), sessionId).length} polls so far`;
				},
			);
			if (!started) return;
			for (const [index, message] of FOLLOW_UPS.entries()) {
				const ok = await check(
					`${name}: reply ${index + 1} fires one execution with it alone, and the next two polls fire nothing`,
					async () => {
						const sent = await callBlocks(blocks, `/sessions/${sessionId}/messages`, { message });
						const threadId = String(sent.chat_thread_id);
						const execution = await pollUntil(
							async () => (await rest.executionsOf(workflowId)).length > index,
							{
								timeoutMs: 60_000,
								intervalMs: 500,
								description: `execution ${index + 1} of the workflow`,
							},
						).then(async () => (await rest.executionsOf(workflowId))[0]);
						const items = await firedItems(rest, execution.id);
						assertEqual(items.length, 1, 'items the trigger fired');
						assertEqual(items[0].session_id, sessionId, 'session_id');
						assertEqual(items[0].thread_id, threadId, 'thread_id');
						assertEqual(items[0].type, 'final_message', 'type');
						assertEqual(items[0].message, replyTo(message), 'message');
						fired.push(items[0]);
						await pollCyclesAfter(run, sessionId, Date.now(), 2);
						assertEqual(
							(await rest.executionsOf(workflowId)).length,
							index + 1,
							'executions after two more polls',
						);
						return `execution ${execution.id}`;
					},
				);
				if (!ok) return;
			}
			await check(`${name}: each message fired exactly once across every execution`, async () => {
				const all = (await executions(rest, workflowId)).flatMap((e) =>
					outputOf(nodeRuns(e, TRIGGER)[0], 0).map((item) => String(item.json.id)),
				);
				assertEqual(all.length, FOLLOW_UPS.length, 'messages fired');
				assertEqual(new Set(all).size, all.length, 'distinct messages fired');
				assertEqual(
					JSON.stringify(all.sort()),
					JSON.stringify(fired.map((item) => String(item.id)).sort()),
					'the messages fired',
				);
				return `${pollsOf(run.requests(), sessionId).length} polls in all`;
			});
		} finally {
			await rest.deactivateWorkflow(workflowId).catch(() => undefined);
		}
	},
};
