import type { TurnRunner } from './agent';
import type { EmulatedClock } from './clock';
import { notFound } from './errors';
import type { FaultKind, FaultOf } from './faults';
import { requireUuid } from './fields';
import type { LinkBuilder } from './links';
import type { Reply } from './reply';
import type { SessionRecord, Store, ThreadRecord } from './store';

/**
 * What the endpoint files (sessions, messages, artifacts) share: what a handler is given and
 * answers, and what every endpoint works on: the one workspace's data, its agent and its links.
 */

/** Takes (and records in the request log) the first armed fault of one of these kinds that matches this request. */
export type TakeFault = <K extends FaultKind>(...kinds: K[]) => FaultOf<K> | undefined;

export interface RouteContext {
	/** Path segments captured by the route pattern. */
	params: string[];
	query: URLSearchParams;
	/** The parsed JSON object of a POST; empty for GETs. */
	body: Record<string, unknown>;
	takeFault: TakeFault;
}

export interface Route {
	method: 'GET' | 'POST';
	pattern: RegExp;
	/** API routes need the ApiKey header and count against the rate limit; the storage host's do not. */
	authenticated: boolean;
	handle(context: RouteContext): Reply;
}

/** What every endpoint works on. */
export interface EndpointDeps {
	store: Store;
	turns: TurnRunner;
	links: LinkBuilder;
	clock: EmulatedClock;
	/** Store a §2 system notice at session start. */
	systemNotice: boolean;
	/** The `agent_name` values create accepts (§3.1, §7). */
	agentNames: readonly string[];
}

export const API_ROOT = '/rest/v1';

/** A route on an exact path; `([^/]+)` groups become `params`. */
export function route(
	method: Route['method'],
	path: string,
	handle: Route['handle'],
	authenticated = true,
): Route {
	return { method, pattern: new RegExp(`^${path}$`), authenticated, handle };
}

/** A path segment captured as a parameter. */
export const ID = '([^/]+)';

/** docs/blocks-api.md §1 key scope: another workspace's session answers 404, as a missing one (§3.2). */
export function findSession(deps: EndpointDeps, rawId: string): SessionRecord {
	const sessionId = requireUuid(rawId, 'session_id');
	const session = deps.store.session(sessionId);
	if (!session) throw notFound(`Session ${sessionId} not found`);
	return session;
}

/** Starts a turn (§3.1, §3.3), carrying over the faults that shape its reply. */
export function startTurn(
	deps: EndpointDeps,
	takeFault: TakeFault,
	session: SessionRecord,
	thread: ThreadRecord,
	message: string,
): void {
	thread.minReplyBytes = takeFault('hugeReply')?.bytes;
	thread.nullTs = takeFault('nullTs') !== undefined;
	deps.turns.start(session, thread, message);
}
