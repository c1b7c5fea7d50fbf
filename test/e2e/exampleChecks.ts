/**
 * The checks every shipped example gets (see test/e2e/scenarios/example*.ts): it runs as shipped and
 * every Blocks node in it ran; the waits named ended with the agent's reply to what was sent.
 */
import { isManuallyStartable } from '../real-n8n/workflowFiles';
import { assert, assertEqual } from './checks';
import { ScenarioRun, assertSucceeded, onlyItem, withKey } from './scenario';
import { messageSentOn, replyTo } from './testAgent';
import { NODE_TYPE } from '../../nodes/Blocks/identity';

export interface ExampleExpectations {
	/** Blocks nodes whose one output item must be the agent's echo of the message sent on its thread. */
	replies?: string[];
	/** The nodes in `replies` belong to one session, each on its own thread. */
	oneSession?: boolean;
}

/** Runs the shared checks; returns whether the example ran, for checks of its own to follow. */
export async function verifyExample(
	run: ScenarioRun,
	expected: ExampleExpectations = {},
): Promise<boolean> {
	const { result: r, workflow, apiKey } = run;
	const name = `example ${run.fileName}`;
	const ran = await run.check(`${name} runs`, () => {
		assert(isManuallyStartable(workflow), 'no Manual Trigger: `n8n execute` cannot start it');
		assertSucceeded(r);
		const runData = r.json?.data?.resultData?.runData ?? {};
		const blocksNodes = workflow.nodes.filter((n) => n.type === NODE_TYPE);
		const notRun = blocksNodes.filter((n) => !runData[n.name]);
		assert(blocksNodes.length > 0, 'no Blocks node in the example');
		assert(
			notRun.length === 0,
			`Blocks nodes that did not run: ${notRun.map((n) => n.name).join(', ')}`,
		);
		assert(
			withKey(run.requests(), apiKey).length > 0,
			"no request reached the emulator with the credential's key",
		);
		return `${blocksNodes.length} Blocks nodes ran, ${(r.run.ms / 1000).toFixed(1)} s including the n8n boot`;
	});
	if (!ran) return false;
	const replies = expected.replies ?? [];
	for (const node of replies) {
		await run.check(`${name}: "${node}" outputs the agent's reply`, () => {
			const w = onlyItem(r.json, node);
			assertEqual(w.status, 'replied', 'status');
			const sent = messageSentOn(String(w.thread_id));
			assert(sent !== undefined, `the agent got no message on thread ${String(w.thread_id)}`);
			assertEqual(w.reply, replyTo(sent), 'reply');
			return `"${String(w.reply)}" (${String(w.polls)} polls, ${String(w.waited_ms)} ms)`;
		});
	}
	if (expected.oneSession) {
		await run.check(`${name}: the replies come from one session, on separate threads`, () => {
			const outs = replies.map((n) => onlyItem(r.json, n));
			assert(
				new Set(outs.map((o) => o.session_id)).size === 1,
				`sessions: ${outs.map((o) => String(o.session_id)).join(', ')}`,
			);
			assertEqual(new Set(outs.map((o) => o.thread_id)).size, outs.length, 'distinct threads');
			return `session ${String(outs[0].session_id)}`;
		});
	}
	return true;
}
