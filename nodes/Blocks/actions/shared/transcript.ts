import type { IDataObject } from 'n8n-workflow';

import { apiPath, type BlocksContext } from '../../transport';
import { AGENT_ROLE, byTime, MESSAGE_TYPES } from '../../helpers/messages';
import { readMessagePages, type MessageListing } from '../../transport/messagePages';
import { isAgentItemOnThread } from '../../wait/thread';

/**
 * A turn's transcript: the agent's messages and tool calls on the thread, oldest first, each
 * once. All the types (docs/blocks-api.md §3.4) are asked for, so a deployment that stores the reply only as a
 * final_message still shows it; where the reply is stored twice (a `message` and a
 * `final_message` of the same text, §3.4 "The reply shows twice") the final_message is left out.
 */
export async function readTranscript(
	context: BlocksContext,
	sessionId: string,
	threadId: string,
	request: Omit<MessageListing, 'path' | 'query' | 'limit'>,
): Promise<IDataObject[]> {
	const items = await readMessagePages(context, {
		path: apiPath.threadMessages(sessionId, threadId),
		query: { type: [...MESSAGE_TYPES], role: AGENT_ROLE, direction: 'asc' },
		limit: Infinity,
		...request,
	});
	return transcriptOf(items, threadId);
}

/**
 * The transcript from a thread's items as listed: only the agent's items of known types on this
 * thread (a server that ignores a filter must not add another turn's), by time, with the reply's
 * duplicate dropped.
 */
export function transcriptOf(items: IDataObject[], threadId: string): IDataObject[] {
	const turn = items
		.filter(
			(item) =>
				(MESSAGE_TYPES as readonly unknown[]).includes(item.type) &&
				isAgentItemOnThread(item, threadId),
		)
		.sort(byTime);
	let lastText: unknown;
	return turn.filter((item) => {
		if (item.type === 'tool_call') return true;
		const duplicate = item.type === 'final_message' && item.message === lastText;
		lastText = item.message;
		return !duplicate;
	});
}
