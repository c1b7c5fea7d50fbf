import type { IDataObject } from 'n8n-workflow';

import { AGENT_ROLE } from '../helpers/messages';

/**
 * Whether a listed message is the agent's, on the awaited thread: checked on the item itself
 * rather than trusting the role and thread filters, which a server that ignored them would let
 * the user's side or another turn through. Messages name their thread in `chat_thread_id`
 * (docs/blocks-api.md §3.4, §14.13); `null` there marks a system notice, which is no thread's.
 * An item without the field at all cannot be checked, and is taken on the filter's word, as a
 * deployment that leaves the field out would need.
 */
export function isAgentItemOnThread(item: IDataObject, threadId: string): boolean {
	if (item.role !== AGENT_ROLE) return false;
	const thread = item.chat_thread_id;
	if (thread === undefined) return true;
	return typeof thread === 'string' && thread.toLowerCase() === threadId.toLowerCase();
}

/** Final agent messages a wait refused because they named another thread. */
export interface RefusedReplies extends IDataObject {
	/** How many distinct final messages were refused. */
	count: number;
	/** The threads they named, as they named them. */
	thread_ids: string[];
}

/**
 * Remembers the final agent messages a wait saw on its reply link but refused because they name
 * another thread. The refusal stays; when the wait then ends without a reply, the count and the
 * threads named tell a deployment that labels threads differently (Blocks' mock server names the
 * session's first thread on every message) from an agent that is still working.
 */
export class RefusedRepliesLog {
	private readonly threadById = new Map<string, string>();

	constructor(private readonly threadId: string) {}

	note(items: unknown): void {
		if (!Array.isArray(items)) return;
		for (const item of items as IDataObject[]) {
			const thread = item?.chat_thread_id;
			if (item?.type !== 'final_message' || item.role !== 'assistant') continue;
			if (typeof thread !== 'string' || isAgentItemOnThread(item, this.threadId)) continue;
			const key =
				typeof item.id === 'string' ? item.id : JSON.stringify([thread, item.ts, item.message]);
			this.threadById.set(key, thread);
		}
	}

	summary(): RefusedReplies | undefined {
		if (this.threadById.size === 0) return undefined;
		return { count: this.threadById.size, thread_ids: [...new Set(this.threadById.values())] };
	}
}
