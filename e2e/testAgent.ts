/**
 * The agent behind the emulator during the e2e run: it echoes every message after a short delay,
 * except messages carrying NEVER_REPLY (no reply ever) or REPLY_WHEN_TOLD (the turn runs until the
 * scenario calls emulator.finishTurn), and remembers what it was asked on each thread so a
 * scenario can tell the right reply from another thread's.
 */
import type { AgentScript } from '../emulator';

/** Messages containing this get an agent that never finishes. */
export const NEVER_REPLY = 'NEVER-REPLY';
export const REPLY_DELAY_MS = 1200;
/** Messages containing this get an agent that replies when the scenario says so. */
export const REPLY_WHEN_TOLD = 'REPLY-WHEN-TOLD';

const sentByThread = new Map<string, string>();

export const testAgent: AgentScript = (turn) => {
	sentByThread.set(turn.threadId, turn.message);
	if (turn.message.includes(REPLY_WHEN_TOLD)) return { manual: true };
	return turn.message.includes(NEVER_REPLY)
		? { never: true }
		: { reply: replyTo(turn.message), delayMs: REPLY_DELAY_MS };
};

/** The reply the agent gives to `message`. */
export function replyTo(message: string): string {
	return `You said: ${message}`;
}

/** The message the agent was asked on this thread, if any. */
export function messageSentOn(threadId: string): string | undefined {
	return sentByThread.get(threadId);
}
