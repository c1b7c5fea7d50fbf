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
