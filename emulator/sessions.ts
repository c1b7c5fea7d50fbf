import type { EndpointDeps, Route, RouteContext } from './endpoint';
import { API_ROOT, findSession, ID, route, startTurn } from './endpoint';
import { unprocessable, validationError } from './errors';
import {
	optionalArtifactIds,
	optionalBoolean,
	optionalUuid,
	requiredMessage,
	requireProfileObject,
} from './fields';
import { link } from './links';
import type { Reply } from './reply';
import type { SessionRecord, ThreadRecord } from './store';
import { isUuid } from './store';

/** docs/blocks-api.md §3.1 and §3.2, with the agent selectors (§7, §8) and `is_private` (§6). */

/** §3.1 agent_name enum. `sisyphus` is only accepted by official tooling (§7, §14.23), not by the docs. */
export const CORE_AGENTS = ['claude', 'codex', 'gemini', 'opencode', 'cursor', 'kimi'];
const MAX_TITLE_LENGTH = 200;
/** §14.22: the docs' form of the dashboard URL; clients treat it as opaque. */
const SESSION_HTML_ROOT = 'https://blocks.team/app/sessions';

export function sessionRoutes(deps: EndpointDeps): Route[] {
	const sessions = `${API_ROOT}/sessions`;
	return [
		route('POST', sessions, (context) => createSession(deps, context)),
		route('GET', `${sessions}/${ID}`, (context) => getSession(deps, context)),
	];
}

/** §3.1 */
function createSession(deps: EndpointDeps, { body, takeFault }: RouteContext): Reply {
	const message = requiredMessage(body.message);
	const agent = agentSelector(body, deps.agentNames);
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

/** §3.2: the thread fields are null; `plan_artifact_ids` is one of the live extras (§14.15). */
function getSession(deps: EndpointDeps, { params, takeFault }: RouteContext): Reply {
	const session = findSession(deps, params[0]);
	return {
		status: 200,
		json: {
			...renderSession(deps, takeFault, session, null),
			plan_artifact_ids: deps.store.planArtifactIds(session),
		},
	};
}

/** §3.1 shape; §3.2 is the same with the thread fields null. */
function renderSession(
	deps: EndpointDeps,
	takeFault: RouteContext['takeFault'],
	session: SessionRecord,
	thread: ThreadRecord | null,
): Record<string, unknown> {
	const pullRequestsFault = takeFault('pullRequests');
	return {
		id: session.id,
		title: session.title,
		pull_requests: pullRequestsOf(session, pullRequestsFault?.as),
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

/**
 * §3.2: the agent's pull requests, once their turns finished, as URLs (the official Action's
 * form). §14.14: the docs say "IDs", the official Action URLs, the official skill `{url, status}`
 * objects; the `pullRequests` fault picks the form, and shows one emulated pull request in a
 * session where the agent opened none.
 */
function pullRequestsOf(session: SessionRecord, form: PullRequestForm | undefined): unknown[] {
	const opened =
		session.pullRequests.length > 0 || form === undefined
			? session.pullRequests
			: [{ id: session.pullRequestId, url: EMULATED_PULL_REQUEST }];
	return opened.map(({ id, url }) => {
		if (form === 'ids') return id;
		if (form === 'objects') return { url, status: 'open' };
		return url;
	});
}

type PullRequestForm = 'ids' | 'urls' | 'objects';
const EMULATED_PULL_REQUEST = 'https://github.com/emulated-org/emulated-repo/pull/1';

/**
 * §3.1: exactly one of agent_name, agent_id, profile. More than one is undocumented (§14.16);
 * the emulator rejects it the same way as none, so clients that send two find out here.
 */
function agentSelector(body: Record<string, unknown>, agentNames: readonly string[]): string {
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
		if (typeof agentName !== 'string' || !agentNames.includes(agentName)) {
			throw validationError(`agent_name must be one of ${agentNames.join(', ')}`);
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

/** §3.1 / §14.15: undocumented `title`, at most 200 characters. */
function optionalTitle(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string' || value.length > MAX_TITLE_LENGTH) {
		throw unprocessable(`title must be a string of at most ${MAX_TITLE_LENGTH} characters`);
	}
	return value;
}
