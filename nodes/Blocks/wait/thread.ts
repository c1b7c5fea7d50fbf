import type { IDataObject } from 'n8n-workflow';

/**
 * Whether a listed message belongs to the awaited thread. Messages name their thread in
 * `chat_thread_id` (docs/blocks-api.md §3.4, §14.13); `null` there marks a system notice, which is
 * no thread's. An item without the field at all cannot be checked, and is taken on the filter's
 * word, as a deployment that leaves the field out would need.
 */
export function isOnThread(item: IDataObject, threadId: string): boolean {
	const thread = item.chat_thread_id;
	if (thread === undefined) return true;
	return typeof thread === 'string' && thread.toLowerCase() === threadId.toLowerCase();
}
