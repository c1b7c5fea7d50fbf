import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { MessagePage } from '../helpers/apiTypes';
import { AGENT_ROLE, byTime, MESSAGE_TYPES } from '../helpers/messages';
import { MAX_PAGE_SIZE } from '../transport/messagePages';
import { replyFilter, type Query, type ReplyLink } from '../transport/urls';
import { responseStreamOf, type ResponseStream } from '../host/responseStream';
import { DEFAULT_STREAM_PROGRESS, type StreamProgress } from './settings';
import { isAgentItemOnThread } from './thread';

/**
 * How far before the newest `ts` seen each poll asks again. The contract warns of repeats and
 * gaps around second boundaries (docs/blocks-api.md §14.11): re-reading a few seconds costs a
 * few messages per poll, which the IDs seen filter out.
 */
const OVERLAP_SECONDS = 5;

/** A tool call is shown as one line of at most this many characters. */
const MAX_NOTE_LENGTH = 160;

/** Between the chunks of one wait, so that n8n's chat, which joins them, shows paragraphs. */
const PARAGRAPH = '\n\n';

/**
 * The agent's progress on the awaited thread, streamed while a wait polls: each poll then asks
 * for the thread's assistant messages (and tool calls, when asked for) after a `gts` cursor
 * instead of the final-message filter, and sends what it finds as chunks, then the final reply.
 * A poll is still one request from the key's budget, at the same pace, and reads only what is
 * new; the reply is found on the same page.
 *
 * Defences, where the contract leaves room (§14.11): items are taken in `ts` order whatever
 * order they come in and sent once each, by ID; a deployment that leaves `ts` null on the
 * agent's items can never pass a `gts` filter, so once one is seen the cursor is dropped and the
 * thread's messages are read whole; and a wait's last poll, at its deadline, asks the
 * final-message filter itself, so that a reply the cursor could have missed (stored later than
 * its `ts` says) still ends the wait as replied.
 */
export class ProgressStream {
	private readonly seen = new Set<string>();
	private newestTs: number | undefined;
	private cursorUsable = true;
	private lastPageFull = false;
	private begun = false;
	private lastSent: string | undefined;

	constructor(
		private readonly stream: ResponseStream,
		private readonly link: ReplyLink,
		private readonly withToolCalls: boolean,
	) {}

	/** The query of the next poll; `lastLook` asks for the final message alone. */
	query(lastLook: boolean): Query {
		if (lastLook) return replyFilter();
		const type = MESSAGE_TYPES.filter((kind) => kind !== 'tool_call' || this.withToolCalls);
		const query: Query = { type, role: AGENT_ROLE, direction: 'asc', limit: MAX_PAGE_SIZE };
		if (this.cursorUsable && this.newestTs !== undefined) {
			// After a full page, from the newest `ts` exactly: re-reading the overlap could return
			// the same full page again and again.
			query.gts = this.lastPageFull ? this.newestTs : this.newestTs - OVERLAP_SECONDS;
		}
		return query;
	}

	/** Sends what the page holds that was not sent yet; returns the final reply once it is there. */
	async take(page: MessagePage): Promise<IDataObject | undefined> {
		const items = (Array.isArray(page.items) ? page.items : []).filter((item) =>
			isAgentItemOnThread(item, this.link.threadId),
		);
		this.lastPageFull = items.length >= MAX_PAGE_SIZE;
		const fresh = items.filter((item) => this.firstSight(item)).sort(byTime);
		const finalMessage = fresh.find((item) => item.type === 'final_message');
		const replyText = finalMessage ? text(finalMessage) : undefined;
		for (const item of fresh) {
			if (item.type === 'message') {
				// The thread's last message repeats the final reply (§3.4): it is sent once, last.
				if (text(item) !== replyText) await this.send(text(item));
			} else if (item.type === 'tool_call' && this.withToolCalls) {
				await this.send(toolCallNote(text(item)));
			}
		}
		if (finalMessage && replyText !== undefined) {
			// Already sent as the thread's last message in an earlier poll: not sent twice.
			if (replyText !== this.lastSent) await this.send(replyText, true);
		}
		return finalMessage;
	}

	/** Closes what the wait sent, however it ended. */
	async end(): Promise<void> {
		if (this.begun) await this.stream.end();
	}

	private firstSight(item: IDataObject): boolean {
		const key =
			typeof item.id === 'string' || typeof item.id === 'number'
				? String(item.id)
				: `${String(item.type)}\n${String(item.ts)}\n${text(item)}`;
		if (this.seen.has(key)) return false;
		this.seen.add(key);
		if (typeof item.ts === 'number' && Number.isFinite(item.ts)) {
			this.newestTs = Math.max(this.newestTs ?? item.ts, item.ts);
		} else {
			this.cursorUsable = false;
		}
		return true;
	}

	private async send(content: string, isReply = false): Promise<void> {
		if (!content) return;
		if (!this.begun) {
			this.begun = true;
			await this.stream.begin();
		}
		await this.stream.item(isReply ? content : `${content}${PARAGRAPH}`);
		this.lastSent = content;
	}
}

/** A progress stream for this wait, or undefined when nothing is to be streamed. */
export function progressStreamFor(
	context: IExecuteFunctions,
	itemIndex: number,
	link: ReplyLink,
	setting: StreamProgress = DEFAULT_STREAM_PROGRESS,
): ProgressStream | undefined {
	if (setting === 'off') return undefined;
	const stream = responseStreamOf(context, itemIndex);
	return stream && new ProgressStream(stream, link, setting === 'messagesAndToolCalls');
}

function text(item: IDataObject): string {
	return typeof item.message === 'string' ? item.message : '';
}

/**
 * A tool call as one line: its name and its arguments in short, such as
 * `Tool call: Edit (file_path: src/a.ts, old_string: …)`. Its body is a JSON string
 * `{"__name__": "<tool>", …args}` (§3.4); anything else is shown as it is, cut to one line.
 */
function toolCallNote(body: string): string {
	let line = body;
	try {
		const call = JSON.parse(body) as unknown;
		if (call && typeof call === 'object' && !Array.isArray(call)) {
			const { __name__: name, ...args } = call as Record<string, unknown>;
			const shown = Object.entries(args)
				.map(
					([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
				)
				.join(', ');
			line = `${typeof name === 'string' && name ? name : 'tool'}${shown ? ` (${shown})` : ''}`;
		}
	} catch {
		// not JSON: shown as it is
	}
	const oneLine = `Tool call: ${line.replace(/\s+/g, ' ').trim()}`;
	return oneLine.length > MAX_NOTE_LENGTH ? `${oneLine.slice(0, MAX_NOTE_LENGTH - 1)}…` : oneLine;
}
