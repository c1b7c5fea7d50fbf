import { unprocessable } from './errors';
import type { LinkBuilder } from './links';
import { link } from './links';
import type { MessageItem, MessageRole, MessageType } from './store';
import { isUuid } from './store';

const MESSAGE_TYPES: readonly MessageType[] = ['message', 'final_message', 'tool_call'];
const MESSAGE_ROLES: readonly MessageRole[] = ['user', 'assistant'];
const MAX_LIMIT = 100;

/** §3.4 query parameters after validation. */
export interface ListQuery {
	types: MessageType[];
	roles: MessageRole[];
	threadId?: string;
	gts?: number;
	page: number;
	limit: number;
	direction: 'asc' | 'desc';
}

/**
 * §3.4: repeated keys for arrays; anything else invalid (comma lists included) is a 422.
 * `type[]` is a different key, so it is ignored without special handling, as observed live.
 */
export function parseListQuery(query: URLSearchParams, threaded: boolean): ListQuery {
	const types = oneOfEach(query.getAll('type'), MESSAGE_TYPES, 'type');
	const roles = oneOfEach(query.getAll('role'), MESSAGE_ROLES, 'role');
	const threadId = query.get('thread_id') ?? undefined;
	// §3.4: thread_id is ignored on the threaded URL, so it is not even validated there.
	if (!threaded && threadId !== undefined && !isUuid(threadId)) {
		throw unprocessable('thread_id must be a UUID');
	}
	const direction = query.get('direction') ?? 'asc';
	if (direction !== 'asc' && direction !== 'desc')
		throw unprocessable('direction must be asc or desc');
	return {
		types: types.length > 0 ? types : ['message', 'final_message'],
		// §3.4 / §14.12: the default role hides user messages.
		roles: roles.length > 0 ? roles : ['assistant'],
		threadId: threaded ? undefined : threadId,
		gts: optionalNumber(query.get('gts'), 'gts'),
		page: integerInRange(query.get('page'), 'page', 1, 1, Number.MAX_SAFE_INTEGER),
		// §14.8: 50 observed as the default, 100 documented as the maximum.
		limit: integerInRange(query.get('limit'), 'limit', 50, 1, MAX_LIMIT),
		// §14.6: the docs say newest first, the live API was observed ascending by ts; the emulator
		// follows what the live API does, so clients that rely on the docs' default find out here.
		direction,
	};
}

/** The paginated envelope of §3.4, for the items of one session (or of one thread, §3.5). */
export function listEnvelope(
	messages: MessageItem[],
	query: ListQuery,
	listingHref: string,
	links: LinkBuilder,
	nowMs: number,
): unknown {
	const selected = messages
		.filter(
			(item) =>
				query.types.includes(item.type) &&
				query.roles.includes(item.role) &&
				(query.threadId === undefined || item.chat_thread_id === query.threadId) &&
				// §14.11: a null ts never satisfies gts.
				(query.gts === undefined || (item.ts !== null && item.ts > query.gts)),
		)
		.sort((a, b) => sortKey(a) - sortKey(b));
	if (query.direction === 'desc') selected.reverse();
	const start = (query.page - 1) * query.limit;
	const items = selected.slice(start, start + query.limit);
	return {
		items,
		meta: {
			total: selected.length,
			page: query.page,
			limit: query.limit,
			total_pages: Math.ceil(selected.length / query.limit),
		},
		_links: {
			// §14.10: self drops the caller's query parameters.
			self: link(listingHref),
			new_messages: link(links.newMessages(listingHref, cursorFor(items, nowMs))),
		},
	};
}

/** Items without ts (user messages, §14.11) are placed by their creation time. */
function sortKey(item: MessageItem): number {
	return item.ts ?? Date.parse(item.created_at) / 1000;
}

/** §3.4: newest ts on the page, or the current epoch second when the page has none. */
function cursorFor(items: MessageItem[], nowMs: number): number {
	const stamps = items.map((item) => item.ts).filter((ts): ts is number => ts !== null);
	return stamps.length > 0 ? Math.max(...stamps) : Math.floor(nowMs / 1000);
}

function oneOfEach<T extends string>(values: string[], allowed: readonly T[], name: string): T[] {
	for (const value of values) {
		if (!(allowed as readonly string[]).includes(value)) {
			throw unprocessable(
				`${name} must be one of ${allowed.join(', ')} (repeat the key to combine), got '${value}'`,
			);
		}
	}
	return values as T[];
}

function optionalNumber(raw: string | null, name: string): number | undefined {
	if (raw === null) return undefined;
	const value = Number(raw);
	if (raw.trim() === '' || !Number.isFinite(value)) throw unprocessable(`${name} must be a number`);
	return value;
}

function integerInRange(
	raw: string | null,
	name: string,
	fallback: number,
	min: number,
	max: number,
): number {
	if (raw === null) return fallback;
	const value = Number(raw);
	if (!/^\d+$/.test(raw) || value < min || value > max) {
		throw unprocessable(`${name} must be an integer from ${min} to ${max}`);
	}
	return value;
}
