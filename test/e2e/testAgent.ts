/**
 * The agent behind the emulator during the e2e run: it echoes every message after a short delay,
 * except messages carrying NEVER_REPLY (no reply ever), REPLY_WHEN_TOLD (the turn runs until the
 * scenario calls emulator.finishTurn) and messages asking to be told "DONE" (a task that takes
 * MARKER_TURNS turns of the session); a message asking it to open a pull request gets its echo
 * with PULL_REQUEST_TOOLS called and one pull request opened; a message asking it to take its
 * time gets its echo after SLOW_REPLY_DELAY_MS. It remembers what it was asked on each thread, and
 * by which agent name, so a scenario can tell the right reply from another thread's.
 */
import type { AgentScript } from '../../emulator';

/** Messages containing this get an agent that never finishes. */
const NEVER_REPLY = 'NEVER-REPLY';
export const REPLY_DELAY_MS = 1200;
/** Long enough for a wait's quick early polls (1 s, then 2.5 s after the send) to come before it. */
const SLOW_REPLY_DELAY_MS = 4 * REPLY_DELAY_MS;
const ASKS_TO_TAKE_ITS_TIME = /\btake your time\b/i;
/** Messages containing this get an agent that replies when the scenario says so. */
export const REPLY_WHEN_TOLD = 'REPLY-WHEN-TOLD';

/** The word the follow-up-loop example waits for, and the turns the agent takes to say it. */
export const MARKER = 'DONE';
export const MARKER_TURNS = 3;
const ASKS_FOR_MARKER = new RegExp(`\\b(say|reply with|answer) ${MARKER}\\b`, 'i');

/**
 * A built-in agent name beyond the documented six (docs/blocks-api.md §7): the e2e emulator
 * accepts it, as a deployment that added the agent later would.
 */
export const LATER_AGENT_NAME = 'sisyphus';

/** Messages matching this get tool calls and a pull request with their reply. */
const ASKS_FOR_PULL_REQUEST = /\bopen a pull request\b/i;
/** The tools the agent calls in a turn that opens a pull request, in order. */
export const PULL_REQUEST_TOOLS = ['edit_file', 'run_tests', 'open_pull_request'];

const sentByThread = new Map<string, string>();
const pullRequestByThread = new Map<string, string>();
const agentByThread = new Map<string, string>();

export const testAgent: AgentScript = (turn) => {
	sentByThread.set(turn.threadId, turn.message);
	agentByThread.set(turn.threadId, turn.agent);
	if (turn.message.includes(REPLY_WHEN_TOLD)) return { manual: true };
	if (turn.message.includes(NEVER_REPLY)) return { never: true };
	if (ASKS_FOR_MARKER.test(turn.message)) {
		const step = turn.turnIndex + 1;
		const reply =
			step < MARKER_TURNS
				? `Step ${step} of ${MARKER_TURNS} is finished; more to do.`
				: `All ${MARKER_TURNS} steps are finished. ${MARKER}`;
		return { reply, delayMs: REPLY_DELAY_MS };
	}
	if (ASKS_FOR_PULL_REQUEST.test(turn.message)) {
		const pullRequest = `https://github.com/emulated-org/app/pull/${pullRequestByThread.size + 1}`;
		pullRequestByThread.set(turn.threadId, pullRequest);
		return {
			reply: replyTo(turn.message),
			delayMs: REPLY_DELAY_MS,
			toolCalls: PULL_REQUEST_TOOLS.map((name) => ({ name })),
			pullRequests: [pullRequest],
		};
	}
	if (ASKS_TO_TAKE_ITS_TIME.test(turn.message))
		return { reply: replyTo(turn.message), delayMs: SLOW_REPLY_DELAY_MS };
	return { reply: replyTo(turn.message), delayMs: REPLY_DELAY_MS };
};

/** The pull request the agent opened on this thread, if it opened one. */
export function pullRequestOpenedOn(threadId: string): string | undefined {
	return pullRequestByThread.get(threadId);
}

/** The reply the agent gives to `message`. */
export function replyTo(message: string): string {
	return `You said: ${message}`;
}

/** The message the agent was asked on this thread, if any. */
export function messageSentOn(threadId: string): string | undefined {
	return sentByThread.get(threadId);
}

/** The agent (agent_name or agent_id) of the session this thread belongs to, as it was created. */
export function agentOn(threadId: string): string | undefined {
	return agentByThread.get(threadId);
}
