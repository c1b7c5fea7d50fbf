import type { TurnRunner } from './agent';
import type { EmulatedClock } from './clock';
import { badRequest, notFound, unprocessable, validationError } from './errors';
import type { FaultKind, FaultOf } from './faults';
import type { LinkBuilder } from './links';
import { link } from './links';
import { listEnvelope, parseListQuery } from './listing';
import type { SessionRecord, Store, ThreadRecord } from './store';
import { isUuid } from './store';

/** What a handler answers; the server serialises it and applies response faults. */
export type Reply =
	| { status: number; json: unknown; headers?: Record<string, string> }
	| { status: number; text: string; contentType?: string; headers?: Record<string, string> };

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
	/** Blocks API routes need the ApiKey header and count against the rate limit; the storage host does not. */
	authenticated: boolean;
	handle(context: RouteContext): Reply;
}

export interface ApiDeps {
	store: Store;
	turns: TurnRunner;
	links: LinkBuilder;
	clock: EmulatedClock;
	systemNotice: boolean;
}

/** §3.1 agent_name enum. `sisyphus` is only accepted by official tooling (§7, §14.23), not by the docs. */
const CORE_AGENTS = ['claude', 'codex', 'gemini', 'opencode', 'cursor', 'kimi'];
const MAX_TITLE_LENGTH = 200;
const SESSION_HTML_ROOT = 'https://blocks.team/app/sessions';

export const STORAGE_PREFIX = '/storage/artifacts';

type Handler = (deps: ApiDeps, context: RouteContext) => Reply;

const ID = '([^/]+)';

export function createRoutes(deps: ApiDeps): Route[] {
	const route = (
		method: Route['method'],
		path: string,
		handler: Handler,
		authenticated = true,
	): Route => ({
		method,
		pattern: new RegExp(`^${path}$`),
		authenticated,
		handle: (context) => handler(deps, context),
	});
	const sessions = '/rest/v1/sessions';
	return [
		route('POST', sessions, createSession),
		route('GET', `${sessions}/${ID}`, getSession),
		route('POST', `${sessions}/${ID}/messages`, postFollowUp),
		route('GET', `${sessions}/${ID}/messages`, listSessionMessages),
		route('GET', `${sessions}/${ID}/threads/${ID}/messages`, listThreadMessages),
		route('GET', `${sessions}/${ID}/artifacts/${ID}`, getArtifact),
		route('GET', `${STORAGE_PREFIX}/${ID}/[^/]+`, downloadArtifact, false),
	];
}

/** §3.1 */
function createSession(deps: ApiDeps, { body, takeFault }: RouteContext): Reply {
	const message = requiredMessage(body.message);
	const agent = agentSelector(body);
	const title = optionalTitle(body.title);
	const isPrivate = optionalBoolean(body.is_private, 'is_private') ?? false;
	const artifactIds = optionalArtifactIds(body.artifact_ids);
	const sessionGroupId = optionalUuid(body.session_group_id, 'session_group_id');
	const { session, thread } = deps.store.createSession({
		message,
		agent,
		title,
		isPrivate,
		sessionGroupId,
		artifactIds,
		systemNotice: deps.systemNotice,
	});
	startTurn(deps, takeFault, session, thread, message);
	return { status: 200, json: renderSession(deps, takeFault, session, thread) };
}

/** §3.2 */
function getSession(deps: ApiDeps, { params, takeFault }: RouteContext): Reply {
	const session = findSession(deps, params[0]);
	return {
		status: 200,
		json: {
			...renderSession(deps, takeFault, session, null),
			plan_artifact_ids: deps.store.planArtifactIds(session),
		},
	};
}

/** §3.3 */
function postFollowUp(deps: ApiDeps, { params, body, takeFault }: RouteContext): Reply {
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
function listSessionMessages(deps: ApiDeps, { params, query }: RouteContext): Reply {
	const session = findSession(deps, params[0]);
	const listQuery = parseListQuery(query, false);
	const href = deps.links.sessionMessages(session.id);
	return {
		status: 200,
		json: listEnvelope(session.messages, listQuery, href, deps.links, deps.clock.nowMs()),
	};
}

/** §3.5: the thread must belong to the session (§5). */
function listThreadMessages(deps: ApiDeps, { params, query }: RouteContext): Reply {
	const session = findSession(deps, params[0]);
	const threadId = requireUuid(params[1], 'thread_id');
	if (deps.store.thread(threadId)?.sessionId !== session.id)
		throw notFound(`Thread ${threadId} not found`);
	const listQuery = { ...parseListQuery(query, true), threadId };
	const href = deps.links.threadMessages(session.id, threadId);
	return {
		status: 200,
		json: listEnvelope(session.messages, listQuery, href, deps.links, deps.clock.nowMs()),
	};
}

/** §3.6: 404 unless the artifact is attached to this session. */
function getArtifact(deps: ApiDeps, { params }: RouteContext): Reply {
	const session = findSession(deps, params[0]);
	const artifactId = requireUuid(params[1], 'artifact_id');
	const artifact = deps.store.artifact(artifactId);
	if (!artifact || !session.artifactIds.includes(artifactId))
		throw notFound(`Artifact ${artifactId} not found`);
	return { status: 200, json: artifact.record };
}

/** §3.6: the presigned `url` points at a storage host that needs no Authorization header. */
function downloadArtifact(deps: ApiDeps, { params }: RouteContext): Reply {
	const artifact = deps.store.artifact(params[0]);
	if (!artifact) throw notFound('No such object');
	return { status: 200, text: artifact.content, contentType: artifact.record.mime_type };
}

/** Starts the turn, carrying over the faults that shape its reply. */
function startTurn(
	deps: ApiDeps,
	takeFault: TakeFault,
	session: SessionRecord,
	thread: ThreadRecord,
	message: string,
): void {
	thread.minReplyBytes = takeFault('hugeReply')?.bytes;
	thread.nullTs = takeFault('nullTs') !== undefined;
	deps.turns.start(session, thread, message);
}

/** §3.1 shape; §3.2 is the same with the thread fields null. */
function renderSession(
	deps: ApiDeps,
	takeFault: TakeFault,
	session: SessionRecord,
	thread: ThreadRecord | null,
): Record<string, unknown> {
	const pullRequestsFault = takeFault('pullRequests');
	return {
		id: session.id,
		title: session.title,
		pull_requests: pullRequestsFault ? [emulatedPullRequest(session, pullRequestsFault.as)] : [],
		source_url: null,
		is_archived: false,
		is_private: session.isPrivate,
		created_at: new Date(session.createdMs).toISOString(),
		updated_at: new Date(session.updatedMs).toISOString(),
		thread_id: thread?.id ?? null,
		session_html_url: `${SESSION_HTML_ROOT}/${session.id}`,
		session_group_id: session.sessionGroupId,
		_links: {
			self: link(deps.links.session(session.id)),
			messages: link(deps.links.sessionMessages(session.id)),
			thread: thread ? link(deps.links.threadMessages(session.id, thread.id)) : null,
			final_message: thread ? link(deps.links.finalMessage(session.id, thread.id)) : null,
		},
	};
}

/** §14.14: docs say "IDs", the official Action URLs, the official skill `{url, status}` objects. */
function emulatedPullRequest(session: SessionRecord, form: 'ids' | 'urls' | 'objects'): unknown {
	const url = 'https://github.com/emulated-org/emulated-repo/pull/1';
	if (form === 'ids') return session.pullRequestId;
	if (form === 'urls') return url;
	return { url, status: 'open' };
}

function findSession(deps: ApiDeps, rawId: string): SessionRecord {
	const sessionId = requireUuid(rawId, 'session_id');
	const session = deps.store.session(sessionId);
	if (!session) throw notFound(`Session ${sessionId} not found`);
	return session;
}

function requireUuid(value: string, name: string): string {
	if (!isUuid(value)) throw unprocessable(`${name} must be a UUID`);
	return value;
}

/** §3.1 / §3.3: `message` is required. */
function requiredMessage(value: unknown): string {
	if (typeof value !== 'string' || value.trim() === '')
		throw validationError('message is required');
	return value;
}

/**
 * §3.1: exactly one of agent_name, agent_id, profile. More than one is undocumented (§14.16);
 * the emulator rejects it the same way as none, so clients that send two find out here.
 */
function agentSelector(body: Record<string, unknown>): string {
	const given = (['agent_name', 'agent_id', 'profile'] as const).filter(
		(key) => body[key] !== undefined && body[key] !== null,
	);
	if (given.length !== 1) {
		throw validationError(
			`Exactly one of agent_name, agent_id, profile is required (got ${given.length})`,
		);
	}
	const { agent_name: agentName, agent_id: agentId, profile } = body;
	if (given[0] === 'agent_name') {
		if (typeof agentName !== 'string' || !CORE_AGENTS.includes(agentName)) {
			throw validationError(`agent_name must be one of ${CORE_AGENTS.join(', ')}`);
		}
		return agentName;
	}
	if (given[0] === 'agent_id') {
		if (typeof agentId !== 'string' || !isUuid(agentId))
			throw unprocessable('agent_id must be a UUID');
		return agentId;
	}
	requireProfileObject(profile);
	return 'profile';
}

/** §8: the profile's fields are undocumented; only "an object" can be checked. */
function requireProfileObject(profile: unknown): void {
	if (typeof profile !== 'object' || profile === null || Array.isArray(profile)) {
		throw unprocessable('profile must be an object');
	}
}

/** §3.1 / §14.15: undocumented `title`, at most 200 characters. */
function optionalTitle(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string' || value.length > MAX_TITLE_LENGTH) {
		throw unprocessable(`title must be a string of at most ${MAX_TITLE_LENGTH} characters`);
	}
	return value;
}

function optionalBoolean(value: unknown, name: string): boolean | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'boolean') throw unprocessable(`${name} must be a boolean`);
	return value;
}

function optionalUuid(value: unknown, name: string): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value !== 'string' || !isUuid(value)) throw unprocessable(`${name} must be a UUID`);
	return value;
}

/** §3.1 / §3.3 `artifact_ids`: uuid[]; ids the emulator does not know are ignored (§9, §14.18). */
function optionalArtifactIds(value: unknown): string[] {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value) || !value.every((id) => typeof id === 'string' && isUuid(id))) {
		throw unprocessable('artifact_ids must be an array of UUIDs');
	}
	return value as string[];
}
