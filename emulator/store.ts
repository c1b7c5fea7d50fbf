import { randomUUID } from 'node:crypto';

import { UUID } from '../nodes/Blocks/helpers/validation';
import type { EmulatedClock } from './clock';

/** docs/blocks-api.md §1: every id is a UUID string. */
const newId = (): string => randomUUID();
export const isUuid = (value: string): boolean => UUID.test(value);

export type MessageType = 'message' | 'final_message' | 'tool_call';
export type MessageRole = 'user' | 'assistant';

/** §3.4 MessageItem, exactly as it goes on the wire. */
export interface MessageItem {
	id: string;
	chat_id: string;
	/** null marks a system notice (§2). */
	chat_thread_id: string | null;
	task_id: string;
	role: MessageRole;
	type: MessageType;
	message: string;
	ts: number | null;
	created_at: string;
	updated_at: string;
}

/**
 * The contract has no thread status (§2); this is the emulator's own bookkeeping so tests can see
 * what happened to a turn. `never` is a turn scripted never to finish.
 */
export type ThreadStatus = 'running' | 'replied' | 'interrupted' | 'never';

export interface ThreadRecord {
	id: string;
	sessionId: string;
	/** §2: one task per turn. */
	taskId: string;
	/** 0 for the turn started by create, 1.. for follow-ups. */
	turnIndex: number;
	status: ThreadStatus;
	/** Real wall time (Date.now()) when the final message became visible. */
	readyAtMs: number | null;
	/** Set by the `hugeReply` fault. */
	minReplyBytes?: number;
	/** Set by the `nullTs` fault. */
	nullTs: boolean;
}

export interface SessionRecord {
	id: string;
	title: string;
	/** agent_name, agent_id, or 'profile' when the session was created with a profile. */
	agent: string;
	isPrivate: boolean;
	sessionGroupId: string | null;
	createdMs: number;
	updatedMs: number;
	messages: MessageItem[];
	threadIds: string[];
	artifactIds: string[];
	followUps: number;
	/** Id of the one pull request the `pullRequests` fault shows. */
	pullRequestId: string;
	/** Pull requests the agent opened, oldest first; they appear when their turn finishes (§3.2). */
	pullRequests: PullRequestRecord[];
	/** Newest `ts` handed out, in ms, so every `ts` in a session is distinct. */
	lastTsMs: number;
}

/** A pull request the agent opened: its URL, and an id for the `ids` form of §14.14. */
interface PullRequestRecord {
	id: string;
	url: string;
}

/** §3.6 artifact, as it goes on the wire. */
export interface ArtifactRecord {
	id: string;
	url: string;
	file_name: string;
	file_path: string;
	file_size_in_kb: number;
	mime_type: string;
	kind: 'plan' | 'file';
	plan_id: string | null;
	created_at: string;
}

export interface ArtifactInit extends Partial<Omit<ArtifactRecord, 'id' | 'file_size_in_kb'>> {
	/** What the emulated storage host serves for this artifact; also sets file_size_in_kb. */
	content?: string;
}

export interface ToolCall {
	name: string;
	args?: Record<string, unknown>;
}

export interface NewSession {
	message: string;
	agent: string;
	title?: string;
	isPrivate: boolean;
	sessionGroupId: string | null;
	artifactIds: string[];
	systemNotice: boolean;
}

/** §3.1: without `title` the API generates one; a first-line prefix is the emulator's stand-in. */
const GENERATED_TITLE_LENGTH = 60;

/** Sessions, threads, messages and artifacts of the one workspace the emulator serves (§1 key scope). */
export class Store {
	private readonly sessions = new Map<string, SessionRecord>();
	private readonly threads = new Map<string, ThreadRecord>();
	private readonly artifacts = new Map<string, { record: ArtifactRecord; content: string }>();

	constructor(private readonly clock: EmulatedClock) {}

	session(sessionId: string): SessionRecord | undefined {
		return this.sessions.get(sessionId);
	}

	thread(threadId: string): ThreadRecord | undefined {
		return this.threads.get(threadId);
	}

	allSessions(): SessionRecord[] {
		return [...this.sessions.values()];
	}

	/** §3.1: a session, its first thread and the first user message. */
	createSession(init: NewSession): { session: SessionRecord; thread: ThreadRecord } {
		const now = this.clock.nowMs();
		const session: SessionRecord = {
			id: newId(),
			title: init.title || init.message.split('\n')[0].slice(0, GENERATED_TITLE_LENGTH),
			agent: init.agent,
			isPrivate: init.isPrivate,
			sessionGroupId: init.sessionGroupId,
			createdMs: now,
			updatedMs: now,
			messages: [],
			threadIds: [],
			artifactIds: [],
			followUps: 0,
			pullRequestId: newId(),
			pullRequests: [],
			lastTsMs: 0,
		};
		this.sessions.set(session.id, session);
		const thread = this.openThread(session);
		if (init.systemNotice) {
			// §2: sandbox lifecycle notices sit outside every thread.
			this.append(session, {
				chat_thread_id: null,
				task_id: thread.taskId,
				role: 'assistant',
				type: 'message',
				message: 'Sandbox started.',
				ts: this.nextTs(session),
			});
		}
		this.addUserMessage(session, thread, init.message, init.artifactIds);
		return { session, thread };
	}

	/** §3.3: a follow-up opens a new thread with a new task. */
	addFollowUp(
		session: SessionRecord,
		message: string,
		artifactIds: string[],
	): { thread: ThreadRecord; userMessage: MessageItem } {
		const thread = this.openThread(session);
		session.followUps += 1;
		const userMessage = this.addUserMessage(session, thread, message, artifactIds);
		return { thread, userMessage };
	}

	/** Stores a finished turn: its tool calls, then the reply twice (§3.4 content quirk). */
	addReply(thread: ThreadRecord, text: string, toolCalls: ToolCall[]): void {
		const session = this.requireSession(thread.sessionId);
		const stamp = () => (thread.nullTs ? null : this.nextTs(session));
		const fromAgent = {
			chat_thread_id: thread.id,
			task_id: thread.taskId,
			role: 'assistant',
		} as const;
		for (const call of toolCalls) {
			// §3.4: a tool_call body is a JSON string of the call, never its result.
			const message = JSON.stringify({ __name__: call.name, ...call.args });
			this.append(session, { ...fromAgent, type: 'tool_call', message, ts: stamp() });
		}
		this.append(session, { ...fromAgent, type: 'message', message: text, ts: stamp() });
		this.append(session, { ...fromAgent, type: 'final_message', message: text, ts: stamp() });
		thread.status = 'replied';
		thread.readyAtMs = Date.now();
	}

	/** The pull requests a finished turn opened, added to its session's `pull_requests`. */
	openPullRequests(thread: ThreadRecord, urls: string[]): void {
		const session = this.requireSession(thread.sessionId);
		for (const url of urls) session.pullRequests.push({ id: newId(), url });
	}

	/**
	 * An agent item with a chosen `ts`, for clients' cursor edge cases: a deployment that stamps
	 * two items alike, or not at all (§14.11).
	 */
	addAgentItem(
		thread: ThreadRecord,
		item: { type: MessageType; message: string; ts: number | null },
	): MessageItem {
		const session = this.requireSession(thread.sessionId);
		return this.append(session, {
			chat_thread_id: thread.id,
			task_id: thread.taskId,
			role: 'assistant',
			...item,
		});
	}

	addArtifact(
		init: ArtifactInit,
		defaultUrl: (id: string, fileName: string) => string,
	): ArtifactRecord {
		const id = newId();
		const content = init.content ?? '# Plan\n\n1. Emulated step.\n';
		const kind = init.kind ?? 'plan';
		const fileName = init.file_name ?? (kind === 'plan' ? 'PLAN.md' : 'file.txt');
		const record: ArtifactRecord = {
			id,
			url: init.url ?? defaultUrl(id, fileName),
			file_name: fileName,
			file_path: init.file_path ?? `/workspace/${fileName}`,
			file_size_in_kb: Math.round((Buffer.byteLength(content) / 1024) * 10) / 10,
			mime_type: init.mime_type ?? (fileName.endsWith('.md') ? 'text/markdown' : 'text/plain'),
			kind,
			plan_id: init.plan_id !== undefined ? init.plan_id : kind === 'plan' ? newId() : null,
			created_at: new Date(init.created_at ?? this.clock.nowMs()).toISOString(),
		};
		this.artifacts.set(id, { record, content });
		return record;
	}

	artifact(artifactId: string): { record: ArtifactRecord; content: string } | undefined {
		return this.artifacts.get(artifactId);
	}

	/** §9: only artifacts the emulator knows can be attached; unknown ids are dropped. */
	attachArtifacts(session: SessionRecord, artifactIds: string[]): void {
		for (const id of artifactIds) {
			if (this.artifacts.has(id) && !session.artifactIds.includes(id)) session.artifactIds.push(id);
		}
	}

	/** §3.2 `plan_artifact_ids`: the newest artifact of each plan, oldest plan first. */
	planArtifactIds(session: SessionRecord): string[] {
		const newestByPlan = new Map<string, string>();
		for (const id of session.artifactIds) {
			const { record } = this.artifacts.get(id)!;
			if (record.kind !== 'plan') continue;
			const planKey = record.plan_id ?? record.id;
			// Re-setting a key keeps its position: plans stay in order of first appearance, the value becomes the newest iteration.
			newestByPlan.set(planKey, id);
		}
		return [...newestByPlan.values()];
	}

	clear(): void {
		this.sessions.clear();
		this.threads.clear();
		this.artifacts.clear();
	}

	private openThread(session: SessionRecord): ThreadRecord {
		const thread: ThreadRecord = {
			id: newId(),
			sessionId: session.id,
			taskId: newId(),
			turnIndex: session.threadIds.length,
			status: 'running',
			readyAtMs: null,
			nullTs: false,
		};
		this.threads.set(thread.id, thread);
		session.threadIds.push(thread.id);
		return thread;
	}

	private addUserMessage(
		session: SessionRecord,
		thread: ThreadRecord,
		message: string,
		artifactIds: string[],
	): MessageItem {
		this.attachArtifacts(session, artifactIds);
		// §3.3 / §14.11: user messages normally carry ts: null.
		return this.append(session, {
			chat_thread_id: thread.id,
			task_id: thread.taskId,
			role: 'user',
			type: 'message',
			message,
			ts: null,
		});
	}

	private append(
		session: SessionRecord,
		fields: Omit<MessageItem, 'id' | 'chat_id' | 'created_at' | 'updated_at'>,
	): MessageItem {
		const createdMs = fields.ts !== null ? Math.round(fields.ts * 1000) : this.clock.nowMs();
		const createdAt = new Date(createdMs).toISOString();
		const item: MessageItem = {
			id: newId(),
			chat_id: session.id,
			...fields,
			created_at: createdAt,
			updated_at: createdAt,
		};
		session.messages.push(item);
		// §3.2: updated_at moves as the session progresses.
		session.updatedMs = Math.max(session.updatedMs, createdMs);
		return item;
	}

	/**
	 * Fractional epoch seconds (§1) from the emulated clock. Kept strictly increasing within a session
	 * so a `gts` cursor taken from one item never re-selects a sibling stamped in the same millisecond.
	 */
	private nextTs(session: SessionRecord): number {
		const ms = Math.max(this.clock.nowMs(), session.lastTsMs + 1);
		session.lastTsMs = ms;
		return ms / 1000;
	}

	private requireSession(sessionId: string): SessionRecord {
		const session = this.sessions.get(sessionId);
		if (!session) throw new Error(`No session ${sessionId}`);
		return session;
	}
}
