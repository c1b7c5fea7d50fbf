import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * Read in n8n 1.123.81 (n8n-workflow 1.120.31) and n8n 2.41.1 (n8n-workflow 2.41.0); the
 * methods' signatures are checked against both in test/unit/host.test.ts.
 *
 * The HTTP response of this execution, when n8n streams it: a Webhook node with "Respond:
 * Streaming", or a Chat Trigger with streaming on (n8n 1.101 and later; both 1.123 and 2.41 have
 * it). n8n then writes each chunk a node sends as one JSON line, `{"type": "begin" | "item" |
 * "end", "content": "…", "metadata": {"nodeId", "nodeName", "itemIndex", "runIndex",
 * "timestamp"}}`, as soon as it is sent.
 *
 * `isStreaming()` and `sendChunk()` are feature-detected rather than assumed: an older n8n has
 * neither, and there, as in any execution that does not stream, a wait sends nothing and polls
 * exactly as it always did. (A run as an AI Agent's tool turns streaming off in its settings,
 * readWaitRequest in actions/shared/wait.fields.ts: `isToolExecution()` is not there on every path n8n runs tools by.)
 */
export interface ResponseStream {
	/** Opens this item's part of the response; n8n's chat starts a message bubble on it. */
	begin(): Promise<void>;
	/** Text that n8n appends to the item's part at once. */
	item(text: string): Promise<void>;
	end(): Promise<void>;
}

/** The parts of IExecuteFunctions the stream needs, each possibly missing on an older n8n. */
export interface StreamingHost {
	isStreaming?: () => boolean;
	sendChunk?: (type: 'begin' | 'item' | 'end', itemIndex: number, content?: string) => unknown;
}

export function responseStreamOf(
	context: IExecuteFunctions,
	itemIndex: number,
): ResponseStream | undefined {
	const host = context as unknown as StreamingHost;
	if (typeof host.isStreaming !== 'function' || typeof host.sendChunk !== 'function') {
		return undefined;
	}
	try {
		if (!host.isStreaming.call(context)) return undefined;
	} catch {
		return undefined;
	}
	const sendChunk = host.sendChunk;
	const send = async (type: 'begin' | 'item' | 'end', content?: string) => {
		try {
			// Typed as returning nothing, but n8n returns the promise of the write: awaiting it
			// keeps the chunks in order and lets a failed write be caught here.
			await sendChunk.call(context, type, itemIndex, content);
		} catch {
			// The caller hung up or the response is closed: progress is a courtesy, and the wait
			// (and its output item) must not fail for it.
		}
	};
	return {
		begin: () => send('begin'),
		item: (text) => send('item', text),
		end: () => send('end'),
	};
}
