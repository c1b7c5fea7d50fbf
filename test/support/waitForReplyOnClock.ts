import type { INodeParameters, IRun } from 'n8n-workflow';

import { runNode, type BlocksRunOptions } from './blocksRun';
import type { useEmulator } from './emulatorFixture';
import { onClock, VirtualClock } from './virtualClock';

type TestApi = ReturnType<typeof useEmulator>;

/**
 * Runs Wait for Reply (polling every second, then `parameters`) with the node on `clock`, whose
 * `beforeEachJump` plays the agent's side of the turn.
 */
export async function waitForReplyOnClock(
	api: TestApi,
	clock: VirtualClock,
	parameters: INodeParameters,
	options: Partial<BlocksRunOptions> = {},
): Promise<IRun> {
	return await onClock(clock, () =>
		runNode(
			{ resource: 'session', operation: 'waitForReply', pollIntervalSeconds: 1, ...parameters },
			{ credential: api.credential, ...options },
		),
	);
}

/** The moment a test ends the agent's running (manual) turn, and how. */
export interface TurnEnd {
	threadId: string;
	reply: string;
	/**
	 * Checked each time the wait sleeps (before the virtual clock jumps), so the turn ends
	 * between two polls, as a real one would. Say, "once the first poll was answered".
	 */
	when: () => boolean;
}

/**
 * Runs Wait for Reply as `waitForReplyOnClock` does, on a virtual clock that finishes the
 * agent's turn the first time `end.when` holds.
 */
export async function waitWhileTurnFinishes(
	api: TestApi,
	end: TurnEnd,
	parameters: INodeParameters,
	options: Partial<BlocksRunOptions> = {},
): Promise<IRun> {
	let finished = false;
	const clock = new VirtualClock(() => {
		if (finished || !end.when()) return;
		finished = true;
		api.emulator.finishTurn(end.threadId, end.reply);
	});
	return await waitForReplyOnClock(api, clock, parameters, options);
}
