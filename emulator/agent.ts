import type { EmulatedClock } from './clock';
import type { SessionRecord, Store, ThreadRecord, ToolCall } from './store';

export interface AgentTurn {
	sessionId: string;
	threadId: string;
	message: string;
	/** agent_name or agent_id the session was created with ('profile' for profile sessions). */
	agent: string;
	/** 0 for the turn started by create, 1.. for follow-ups. */
	turnIndex: number;
}

export type AgentPlan =
	/**
	 * The reply becomes ready `delayMs` emulated ms (default 0) after the turn starts. The pull
	 * requests (their URLs) join the session's `pull_requests` with it, not before (§3.2).
	 */
	| { reply: string; delayMs?: number; toolCalls?: ToolCall[]; pullRequests?: string[] }
	/** The turn stays running until the test calls emulator.finishTurn(threadId, text). */
	| { manual: true }
	/** §14.20: a turn that never finishes, as a crashed agent would look from outside. */
	| { never: true };

export type AgentScript = (turn: AgentTurn) => AgentPlan;

/** The default agent: answers `You said: <message>` after `delayMs` emulated ms. */
export function echoAgent(delayMs = 0): AgentScript {
	return (turn) => ({ reply: `You said: ${turn.message}`, delayMs });
}

/** Runs turns: asks the script what to do, then delivers the reply on the emulated clock. */
export class TurnRunner {
	private readonly pendingReplies = new Map<string, NodeJS.Timeout>();

	constructor(
		private readonly store: Store,
		private readonly clock: EmulatedClock,
		private script: AgentScript,
	) {}

	setScript(script: AgentScript): void {
		this.script = script;
	}

	start(session: SessionRecord, thread: ThreadRecord, message: string): void {
		const plan = this.script({
			sessionId: session.id,
			threadId: thread.id,
			message,
			agent: session.agent,
			turnIndex: thread.turnIndex,
		});
		if ('never' in plan) {
			thread.status = 'never';
			return;
		}
		if ('manual' in plan) return;
		const deliver = () =>
			this.deliver(thread, plan.reply, plan.toolCalls ?? [], plan.pullRequests ?? []);
		const delayMs = plan.delayMs ?? 0;
		// An immediate reply is stored synchronously, so the very first poll after create sees it.
		if (delayMs <= 0) deliver();
		else this.pendingReplies.set(thread.id, this.clock.after(delayMs, deliver));
	}

	/** Completes a running (typically manual) turn now, opening the pull requests given. */
	finish(threadId: string, reply: string, pullRequests: string[] = []): void {
		const thread = this.store.thread(threadId);
		if (!thread || thread.status !== 'running') {
			throw new Error(`No running thread ${threadId} (status: ${thread?.status ?? 'unknown'})`);
		}
		this.deliver(thread, reply, [], pullRequests);
	}

	/**
	 * docs/blocks-api.md §3.3 / §5: a follow-up interrupts whatever the agent was still doing.
	 * Whether an interrupted thread ever gets a final message is unstated (§5, §14.19); the
	 * contract's inference is that it is abandoned, so the emulator never delivers one.
	 */
	interruptRunning(session: SessionRecord): void {
		for (const threadId of session.threadIds) {
			const thread = this.store.thread(threadId);
			if (thread?.status !== 'running' && thread?.status !== 'never') continue;
			this.cancelPending(thread.id);
			thread.status = 'interrupted';
		}
	}

	/** Forgets pending replies; their timers are cancelled with the clock's. */
	clear(): void {
		this.pendingReplies.clear();
	}

	private deliver(
		thread: ThreadRecord,
		reply: string,
		toolCalls: ToolCall[],
		pullRequests: string[],
	): void {
		this.cancelPending(thread.id);
		if (thread.status !== 'running') return;
		this.store.addReply(thread, padToBytes(reply, thread.minReplyBytes ?? 0), toolCalls);
		this.store.openPullRequests(thread, pullRequests);
	}

	private cancelPending(threadId: string): void {
		const timer = this.pendingReplies.get(threadId);
		if (timer === undefined) return;
		this.clock.cancel(timer);
		this.pendingReplies.delete(threadId);
	}
}

/** The `hugeReply` fault: keep the scripted text readable at the start, then fill with ASCII. */
function padToBytes(text: string, minBytes: number): string {
	const missing = minBytes - Buffer.byteLength(text);
	return missing > 0 ? text + '.'.repeat(missing) : text;
}
