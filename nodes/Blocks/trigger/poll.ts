import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IPollFunctions,
	type NodeApiError,
} from 'n8n-workflow';

import { clock } from '../time';
import { apiPath, blocksApiRequest, connectionOf, type Connection } from '../transport';
import type { Query } from '../transport/urls';
import { byTime } from '../helpers/messages';
import {
	advance,
	cursorAfter,
	cursorFromTheStart,
	OVERLAP_SECONDS,
	skipAll,
	type Message,
	type SessionCursor,
} from './cursor';
import { readTriggerSettings, type TriggerSettings } from './settings';

/** The API's page size ceiling (docs/blocks-api.md §3.4). */
const PAGE_SIZE = 100;

/** A long backlog (Include Existing Messages) is read over several polls, not in one. */
const MAX_PAGES_PER_POLL = 20;

/** n8n polls at most once a minute: a poll held up by 429s gives up before the next is due. */
const POLL_PATIENCE_MS = 45_000;

/** Polls of one trigger still running in this process; a poll that finds its own running skips. */
const pollsInFlight = new Set<string>();

interface TriggerState {
	sessions?: Record<string, SessionCursor>;
}

/**
 * One poll of the Blocks Trigger: the new messages of every watched session, oldest first, or
 * null when there are none. n8n keeps the static data in memory while the workflow is active
 * and saves it when a poll fires (and when the workflow is deactivated), so cursors survive
 * restarts. A poll either reads every session or fails as a whole, keeping the cursors it
 * started with: the next poll reads the same messages again, and nothing fires twice or is lost.
 */
export async function pollSessions(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const settings = readTriggerSettings(this);
	if (this.getMode() === 'manual') {
		const request = new SessionReader(this, settings, await connectionOf(this));
		return await latestMessage(request, settings.sessionIds);
	}

	const key = `${this.getWorkflow().id ?? ''}\n${this.getNode().id ?? this.getNode().name}`;
	// n8n starts a poll on schedule even while the previous one still waits for Blocks.
	if (pollsInFlight.has(key)) return null;
	pollsInFlight.add(key);
	try {
		const request = new SessionReader(this, settings, await connectionOf(this));
		const state = this.getWorkflowStaticData('node') as TriggerState;
		const cursors: Record<string, SessionCursor> = {};
		const fresh: IDataObject[] = [];
		for (const sessionId of settings.sessionIds) {
			const { cursor, messages } = await request.newMessages(
				sessionId,
				state.sessions?.[sessionId],
			);
			cursors[sessionId] = cursor;
			fresh.push(...messages.map((message) => asItem(sessionId, message)));
		}
		// Reassigned, not changed in place, so n8n sees that the static data changed.
		state.sessions = cursors;
		return fresh.length ? [this.helpers.returnJsonArray(fresh.sort(byTime))] : null;
	} finally {
		pollsInFlight.delete(key);
	}
}

/** "Fetch Test Event": the newest matching message of the watched sessions; cursors untouched. */
async function latestMessage(
	request: SessionReader,
	sessionIds: string[],
): Promise<INodeExecutionData[][] | null> {
	let latest: IDataObject | undefined;
	for (const sessionId of sessionIds) {
		for (const message of await request.newestPage(sessionId)) {
			if (!latest || byTime(message, latest) > 0) latest = asItem(sessionId, message);
		}
	}
	return latest ? [[{ json: latest }]] : null;
}

/** One item per message: the session and thread IDs first, then the message as Blocks sent it. */
function asItem(sessionId: string, message: Message): IDataObject {
	return { session_id: sessionId, thread_id: message.chat_thread_id ?? null, ...message };
}

/** Reads one session's messages with the trigger's filters, through the node's transport. */
class SessionReader {
	private readonly filters: Query;
	/** A poll has no execution to cancel it: its requests end by their own time limits. */
	private readonly signal = new AbortController().signal;

	constructor(
		private readonly context: IPollFunctions,
		private readonly settings: TriggerSettings,
		private readonly connection: Connection,
	) {
		const { types, roles } = settings;
		// A repeated role needs a current deployment; older ones answer 422 (docs/blocks-api.md §14.12).
		this.filters = { type: types, role: roles.length === 1 ? roles[0] : roles };
	}

	/** The messages of a session after its cursor, and the cursor to keep. */
	async newMessages(
		sessionId: string,
		saved: SessionCursor | undefined,
	): Promise<{ cursor: SessionCursor; messages: Message[] }> {
		const newest = await this.newestPage(sessionId);
		const { includeExisting } = this.settings;
		const starting = !saved && !includeExisting;
		const cursor = saved ?? (includeExisting ? cursorFromTheStart() : cursorAfter(newest));
		const timed = await this.listedAfter(sessionId, cursor.gts - OVERLAP_SECONDS);
		if (starting) return { cursor: skipAll(cursor, timed, newest), messages: [] };
		const { fresh, next } = advance(cursor, timed, newest);
		return { cursor: next, messages: fresh };
	}

	/**
	 * The session's newest matching messages. The sort parameter's name is not in the stored
	 * docs (docs/blocks-api.md §14.7): should a deployment ignore it, this page holds the oldest messages
	 * instead, and only messages without `ts` (found here alone) could be missed, never repeated.
	 */
	async newestPage(sessionId: string): Promise<Message[]> {
		const page = await this.list(sessionId, { direction: 'desc', page: 1 });
		return page.items;
	}

	/** Every matching message with a `ts` after `gts`, oldest first, up to the per-poll cap. */
	private async listedAfter(sessionId: string, gts: number): Promise<Message[]> {
		const messages: Message[] = [];
		for (let page = 1; page <= MAX_PAGES_PER_POLL; page++) {
			const listed = await this.list(sessionId, {
				direction: 'asc',
				page,
				...(gts > 0 ? { gts } : {}),
			});
			messages.push(...listed.items);
			if (listed.items.length === 0 || page >= listed.totalPages) break;
		}
		return messages;
	}

	private async list(
		sessionId: string,
		query: Query,
	): Promise<{ items: Message[]; totalPages: number }> {
		try {
			const response = await blocksApiRequest.call(this.context, {
				method: 'GET',
				path: apiPath.sessionMessages(sessionId),
				query: { ...this.filters, ...query, limit: PAGE_SIZE },
				retry: 'idempotent',
				itemIndex: 0,
				signal: this.signal,
				retryUntil: clock().now() + POLL_PATIENCE_MS,
				connection: this.connection,
			});
			const items = Array.isArray(response.items) ? (response.items as Message[]) : [];
			const meta = (response.meta ?? {}) as IDataObject;
			return { items, totalPages: Number(meta.total_pages ?? 1) || 1 };
		} catch (error) {
			// With several sessions watched, the error must say which one. The transport's errors
			// carry no key, so their message and hint are passed on as they are.
			const { message, description } = error as NodeApiError;
			throw new NodeOperationError(this.context.getNode(), `${message} in session ${sessionId}`, {
				description: description ?? undefined,
			});
		}
	}
}
