import type { EndpointDeps, Route, RouteContext, TakeFault } from './endpoint';
import { API_ROOT, findSession, ID, route, startTurn } from './endpoint';
import { badRequest, notFound, unprocessable } from './errors';
import { optionalArtifactIds, requiredMessage, requireProfileObject, requireUuid } from './fields';
import type { LinkBuilder } from './links';
import { link } from './links';
import type { Reply } from './reply';
import type { MessageItem, MessageRole, MessageType } from './store';
import { isUuid } from './store';

/** docs/blocks-api.md §3.3 (follow-ups), §3.4 and §3.5 (listings), §5 (threads, interruption). */

const MESSAGE_TYPES: readonly MessageType[] = ['message', 'final_message', 'tool_call'];
const MESSAGE_ROLES: readonly MessageRole[] = ['user', 'assistant'];
const MAX_LIMIT = 100;

export function messageRoutes(deps: EndpointDeps): Route[] {
	const session = `${API_ROOT}/sessions/${ID}`;
	return [
		route('POST', `${session}/messages`, (context) => postFollowUp(deps, context)),
		route('GET', `${session}/messages`, (context) => listSessionMessages(deps, context)),
		route('GET', `${session}/threads/${ID}/messages`, (context) =>
			listThreadMessages(deps, context),
		),
	];
}

/** §3.3: a new thread and task; whatever was running is interrupted (§5). */
function postFollowUp(deps: EndpointDeps, { params, body, takeFault }: RouteContext): Reply {
	const session = findSession(deps, params[0]);
	const message = requiredMessage(body.message);
	const artifactIds = optionalArtifactIds(body.artifact_ids);
	if (body.profile !== undefined && body.profile !== null) requireProfileObject(body.profile);
	// §3.3: nothing to continue from. Every session created through §3.1 has a first message,
	// so this only guards the documented branch.
	if (session.messages.length === 0) {
		throw badRequest(
			'Session has no messages to follow up on; create it with POST /rest/v1/sessions first',
		);
	}
	deps.turns.interruptRunning(session);
	const { thread, userMessage } = deps.store.addFollowUp(session, message, artifactIds);
	startTurn(deps, takeFault, session, thread, message);
	return {
		status: 200,
		json: {
			...userMessage,
			_links: {
				self: link(deps.links.sessionMessages(session.id)),
				thread: link(deps.links.threadMessages(session.id, thread.id)),
				final_message: link(deps.links.finalMessage(session.id, thread.id)),
			},
		},
	};
}

/** §3.4 */
function listSessionMessages(
	deps: EndpointDeps,
	{ params, query, takeFault }: RouteContext,
): Reply {
	const session = findSession(deps, params[0]);
	const listQuery = withoutThreadIfFaulted(parseListQuery(query, false), takeFault);
	const href = deps.links.sessionMessages(session.id);
	const envelope = listEnvelope(session.messages, listQuery, href, deps.links, deps.clock.nowMs());
	return { status: 200, json: labelledIfFaulted(envelope, session.threadIds[0], takeFault) };
}

/** §3.5: the thread must belong to the session (§5). */
function listThreadMessages(deps: EndpointDeps, { params, query, takeFault }: RouteContext): Reply {
	const session = findSession(deps, params[0]);
	const threadId = requireUuid(params[1], 'thread_id');
	if (deps.store.thread(threadId)?.sessionId !== session.id)
		throw notFound(`Thread ${threadId} not found`);
	const listQuery = withoutThreadIfFaulted({ ...parseListQuery(query, true), threadId }, takeFault);
	const href = deps.links.threadMessages(session.id, threadId);
	const envelope = listEnvelope(session.messages, listQuery, href, deps.links, deps.clock.nowMs());
	return { status: 200, json: labelledIfFaulted(envelope, session.threadIds[0], takeFault) };
}

/** The `firstThreadLabels` fault: every listed item names the session's first thread. */
function labelledIfFaulted(
	envelope: Envelope,
	firstThread: string,
	takeFault: TakeFault,
): Envelope {
	if (!takeFault('firstThreadLabels')) return envelope;
	const items = envelope.items.map((item) => ({ ...item, chat_thread_id: firstThread }));
	return { ...envelope, items };
}

/** The `ignoreThreadFilter` fault: the thread is validated as usual, then not filtered on. */
function withoutThreadIfFaulted(listQuery: ListQuery, takeFault: TakeFault): ListQuery {
	if (listQuery.threadId === undefined || !takeFault('ignoreThreadFilter')) return listQuery;
	return { ...listQuery, threadId: undefined };
}

/** §3.4 query parameters after validation. */
interface ListQuery {
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
function parseListQuery(query: URLSearchParams, threaded: boolean): ListQuery {
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

type Envelope = ReturnType<typeof listEnvelope>;

/** The paginated envelope of §3.4, for the items of one session (or of one thread, §3.5). */
function listEnvelope(
	messages: MessageItem[],
	query: ListQuery,
	listingHref: string,
	links: LinkBuilder,
	nowMs: number,
) {
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
