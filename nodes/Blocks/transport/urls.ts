/**
 * Where requests go. Every URL the node requests is built here from the credential's base URL,
 * so the API key (added by n8n for that credential) only ever travels to that origin.
 */

import { API_PREFIX } from '../../../credentials/BlocksApi.credentials';
import { AGENT_ROLE } from '../helpers/messages';
import { UUID_PATTERN } from '../helpers/validation';

/** The API's paths (docs/blocks-api.md §3), each written once; IDs are checked by the caller. */
export const apiPath = {
	sessions: () => `${API_PREFIX}/sessions`,
	session: (sessionId: string) => `${API_PREFIX}/sessions/${sessionId}`,
	sessionMessages: (sessionId: string) => `${apiPath.session(sessionId)}/messages`,
	threadMessages: (sessionId: string, threadId: string) =>
		`${apiPath.session(sessionId)}/threads/${threadId}/messages`,
	artifact: (sessionId: string, artifactId: string) =>
		`${apiPath.session(sessionId)}/artifacts/${artifactId}`,
};

/** Query values; arrays become repeated keys (`type=a&type=b`), as the API requires (§1). */
export type Query = Record<string, string | number | string[] | undefined>;

/** The filter of a reply link: the agent's final message of the thread (§3.4). */
export function replyFilter(): Query {
	return { type: 'final_message', role: AGENT_ROLE };
}

/** The credential's base URL without a trailing slash, or undefined when it is not http(s). */
export function normaliseBaseUrl(baseUrl: unknown): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(typeof baseUrl === 'string' ? baseUrl.trim() : '');
	} catch {
		return undefined;
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
	// A base URL may carry a path prefix (a proxy); the API's own paths are appended to it.
	return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

export const BAD_BASE_URL =
	"The Blocks API credential's Base URL is not a valid http(s) URL, such as https://api.blocks.team";

export function apiUrl(baseUrl: string, path: string, query?: Query): string {
	const search = new URLSearchParams();
	for (const [key, value] of Object.entries(query ?? {})) {
		if (value === undefined) continue;
		for (const one of Array.isArray(value) ? value : [value]) search.append(key, String(one));
	}
	const queryString = search.toString();
	return `${baseUrl}${path}${queryString ? `?${queryString}` : ''}`;
}

const THREAD_MESSAGES_PATH = new RegExp(
	`^(?:/.*)?${API_PREFIX}/sessions/(${UUID_PATTERN})/threads/(${UUID_PATTERN})/messages/?$`,
	'i',
);

export interface ReplyLink {
	sessionId: string;
	threadId: string;
	/** The path the node polls, relative to the base URL, with the link's query kept. */
	path: string;
	query: Query;
}

/**
 * Reads a `_links.final_message.href`. The live API has been seen to build links with a host
 * other than the one called (docs/blocks-api.md §1, §14.21), so only the link's path and query are kept;
 * the host is always the credential's. The query is kept as given, but a link without a type
 * filter (say, `_links.thread`) is narrowed to the final assistant message, which is what a
 * wait looks for.
 */
export function parseReplyLink(link: string): ReplyLink | undefined {
	let parsed: URL;
	try {
		parsed = new URL(link);
	} catch {
		return undefined;
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
	const match = THREAD_MESSAGES_PATH.exec(parsed.pathname);
	if (!match) return undefined;
	const [, sessionId, threadId] = match;
	const query: Query = {};
	for (const key of new Set(parsed.searchParams.keys())) {
		const values = parsed.searchParams.getAll(key);
		query[key] = values.length === 1 ? values[0] : values;
	}
	if (query.type === undefined) Object.assign(query, replyFilter());
	return { ...threadReplyLink(sessionId.toLowerCase(), threadId.toLowerCase()), query };
}

/** The reply link the API would have given for a thread, for when only the IDs are known. */
export function threadReplyLink(sessionId: string, threadId: string): ReplyLink {
	return {
		sessionId,
		threadId,
		path: apiPath.threadMessages(sessionId, threadId),
		query: replyFilter(),
	};
}
