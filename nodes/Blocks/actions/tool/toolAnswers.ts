import type { IDataObject } from 'n8n-workflow';

import { pullRequestUrls } from '../../helpers/pullRequests';
import { parseReplyLink } from '../../transport/urls';
import type { WaitOutcome } from '../../wait/outcome';

/**
 * What the AI Agent's model reads back from a Blocks tool. n8n hands the model the JSON of the
 * tool's first output, so every answer is one small item there: a status, the reply or a plain
 * sentence saying what happened and what to do next, and the IDs and links to go on with.
 * Answers never carry an `error` key: n8n 2.x runs a node again, under Retry On Fail, when its
 * first item has one, and that would start a second session.
 */
export interface ToolAnswer extends IDataObject {
	status: 'replied' | 'still_working' | 'started' | 'found' | 'failed';
	/** The coding agent's reply (replied only). */
	reply?: string;
	/** What happened and what to do next, as a sentence (all but replied). */
	message?: string;
	session_id?: string;
	/** Where the reply is polled: what Wait for Reply takes to ask again. */
	reply_url?: string;
	/** The session's page in the Blocks dashboard, when Blocks gave it. */
	session_url?: string;
	/** The agent's pull requests, when Include Session read them after the reply. */
	pull_request_urls?: string[];
	/** Session › Get (found only): the session's title, plan artifacts, archive flag, last change. */
	title?: string | null;
	artifact_ids?: string[];
	archived?: boolean;
	updated_at?: string | null;
	/** How many messages or artifacts a read found (found only). */
	count?: number;
	messages?: MessageAnswer[];
	artifacts?: ArtifactAnswer[];
}

/** One message of a listing, as the model reads it: who said what, when, in which turn. */
interface MessageAnswer extends IDataObject {
	message_id: string | null;
	thread_id: string | null;
	role: string | null;
	type: string | null;
	text: string;
	ts: number | null;
}

/** One artifact's metadata, as the model reads it: never its file. */
interface ArtifactAnswer extends IDataObject {
	artifact_id: string | null;
	kind: string | null;
	file_name: string | null;
	mime_type: string | null;
	size_kb: number | null;
	plan_id: string | null;
	created_at: string | null;
	/** Blocks' presigned link to the file (about six days), which needs no API key. */
	download_url: string | null;
}

/** The answer for a wait's outcome: the reply, or that the agent is still working. */
export function waitAnswer(outcome: WaitOutcome, sent: IDataObject | undefined): ToolAnswer {
	const where = {
		session_id: outcome.session_id,
		reply_url: outcome.reply_url,
		// From the create's answer, or from the session read again when Include Session is on.
		...sessionUrlOf(outcome),
		...sessionUrlOf(sent),
	};
	if (outcome.status === 'replied') {
		const pullRequests = outcome.pull_request_urls;
		return {
			status: 'replied',
			reply: outcome.reply ?? '',
			...where,
			...(Array.isArray(pullRequests) && pullRequests.length
				? { pull_request_urls: pullRequests.map(String) }
				: {}),
		};
	}
	return {
		status: 'still_working',
		message: `The coding agent is still working on this in session ${outcome.session_id}; its reply is not ready yet. To get its reply, call Wait for Reply again later with the reply URL ${outcome.reply_url}. Do not send the message again: that would start the work a second time.`,
		...where,
	};
}

/**
 * The answer for a message sent without waiting (Create Session or Send Message with Wait for
 * Reply off): the agent has started, and where its reply will be.
 */
export function sentAnswer(sent: IDataObject): ToolAnswer | undefined {
	const links = sent._links as { final_message?: { href?: unknown } | null } | undefined;
	const href = links?.final_message?.href;
	if (typeof href !== 'string') return undefined;
	const link = parseReplyLink(href);
	if (!link) return undefined;
	return {
		status: 'started',
		message: `The coding agent has started working on the message in session ${link.sessionId}. To get its reply, call Wait for Reply with the reply URL ${href}.`,
		session_id: link.sessionId,
		reply_url: href,
		...sessionUrlOf(sent),
	};
}

/**
 * A failure, as a sentence: what went wrong and what to change, from the error's message and
 * its hint. When the message was already sent, it says so, so that the model does not send it
 * again.
 */
export function failedAnswer(error: unknown, sent: IDataObject | undefined): ToolAnswer {
	const { message, description } = error as { message?: unknown; description?: unknown };
	const text = [message, description]
		.filter((part): part is string => typeof part === 'string' && part.trim() !== '')
		// "(item 0)" names an input item of the node, which means nothing to the model.
		.map((part) => sentence(part.replace(/ \(item \d+\)/g, '')));
	const why = text.join(' ') || 'The Blocks tool failed without saying why.';
	const afterSend = sent ? sentAnswer(sent) : undefined;
	if (!afterSend) return { status: 'failed', message: why };
	return {
		...afterSend,
		status: 'failed',
		message: `The message was sent and the coding agent is working on it in session ${afterSend.session_id}, but waiting for its reply failed: ${why} Get the reply later with Wait for Reply and the reply URL ${afterSend.reply_url}; do not send the message again.`,
	};
}

/**
 * A session read with Get: what the model can act on (its title, page, pull requests and plan
 * artifacts), without Blocks' `_links`, which point at the API and need the key.
 */
export function sessionAnswer(session: IDataObject): ToolAnswer {
	const artifactIds = Array.isArray(session.plan_artifact_ids)
		? session.plan_artifact_ids.map(String)
		: [];
	return {
		status: 'found',
		session_id: textOrNull(session.id) ?? '',
		title: textOrNull(session.title),
		...sessionUrlOf(session),
		pull_request_urls: pullRequestUrls(session.pull_requests),
		artifact_ids: artifactIds,
		archived: session.is_archived === true,
		updated_at: textOrNull(session.updated_at),
	};
}

/** Messages listed with Get Many, oldest first, each cut down to who said what and where. */
export function messagesAnswer(messages: IDataObject[]): ToolAnswer {
	return {
		status: 'found',
		count: messages.length,
		messages: messages.map((message) => ({
			message_id: textOrNull(message.id),
			thread_id: textOrNull(message.chat_thread_id),
			role: textOrNull(message.role),
			type: textOrNull(message.type),
			text: textOrNull(message.message) ?? '',
			ts: typeof message.ts === 'number' ? message.ts : null,
		})),
	};
}

/**
 * Artifacts read with Get or Get Many: their metadata only. A file downloaded into the item
 * (Download on) stays out: a model reads text, and the file's link is in `download_url`.
 */
export function artifactsAnswer(artifacts: IDataObject[]): ToolAnswer {
	return {
		status: 'found',
		count: artifacts.length,
		artifacts: artifacts.map((artifact) => ({
			artifact_id: textOrNull(artifact.id),
			kind: textOrNull(artifact.kind),
			file_name: textOrNull(artifact.file_name),
			mime_type: textOrNull(artifact.mime_type),
			size_kb: typeof artifact.file_size_in_kb === 'number' ? artifact.file_size_in_kb : null,
			plan_id: textOrNull(artifact.plan_id),
			created_at: textOrNull(artifact.created_at),
			download_url: textOrNull(artifact.url),
		})),
	};
}

function textOrNull(value: unknown): string | null {
	return typeof value === 'string' ? value : null;
}

function sessionUrlOf(sent: IDataObject | undefined): { session_url?: string } {
	const url = sent?.session_html_url;
	return typeof url === 'string' && url ? { session_url: url } : {};
}

function sentence(text: string): string {
	const trimmed = text.trim();
	return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
