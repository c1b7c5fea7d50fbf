import { createServer, type Server } from 'node:http';

import type { AgentScript } from './agent';
import { echoAgent, TurnRunner } from './agent';
import { StorageHost } from './artifacts';
import { EmulatedClock, TimerSet } from './clock';
import type { ErrorShape } from './errors';
import { DEFAULT_ERROR_SHAPE } from './errors';
import type { FaultController } from './faults';
import { FaultSwitchboard } from './faults';
import type { ForeignHost } from './foreignHost';
import { startForeignHost } from './foreignHost';
import { LinkBuilder } from './links';
import { closeServer, listen } from './listener';
import { RateLimit, SlidingWindowLimiter } from './rateLimit';
import type { RequestLogEntry } from './requestLog';
import { createRouter } from './router';
import { createRequestListener } from './server';
import { CORE_AGENTS } from './sessions';
import type { ArtifactInit, MessageItem, MessageType, ThreadStatus } from './store';
import { Store } from './store';

export interface EmulatorOptions {
	/** Default '127.0.0.1'. */
	host?: string;
	/** Default 0: a free port. */
	port?: number;
	/** Accepted keys; default ['blk_test_key']. */
	apiKeys?: string[];
	/** Origin used in every `_links` href (§1, §14.21); default: the emulator's own url. */
	linkBaseUrl?: string;
	/** Per API key (§10); default { limit: 100, windowMs: 60_000 }; windowMs is emulated. */
	rateLimit?: { limit: number; windowMs: number } | false;
	/** Emulated time runs this many times faster than real time; default 1. */
	timeScale?: number;
	/** Default: `You said: <message>` after 0 ms. */
	agent?: AgentScript;
	/** Retry-After on 429 in real seconds; default: until the window frees (rounded up, min 1); null: no header. */
	retryAfterSeconds?: number | null;
	/** Store a §2 system notice (chat_thread_id null) at session start; default true. */
	systemNotice?: boolean;
	/**
	 * Body of every error response (§12, §14.2); default 'string', `{"error": "..."}`, the shape
	 * Blocks' own client and mock use. The `errorShape` fault overrides it per response.
	 */
	errorShape?: ErrorShape;
	/**
	 * Built-in agents beyond the documented six (§7), as a deployment that added one later would
	 * accept them as `agent_name`; default none.
	 */
	moreAgentNames?: string[];
}

export interface ThreadState {
	status: ThreadStatus;
	/** Real wall time (Date.now()) when the final message became visible, for detection-delay measurement. */
	readyAtMs: number | null;
}

export interface EmulatorStats {
	sessionsCreated: number;
	followUps: number;
	requests: number;
	rateLimited: number;
}

export const DEFAULT_API_KEY = 'blk_test_key';
const DEFAULT_RATE_LIMIT = { limit: 100, windowMs: 60_000 };

/**
 * A local Blocks Sessions API on loopback, for tests, demos and benchmarks. It follows
 * docs/blocks-api.md section by section: auth.ts (§1), sessions.ts (§3.1, §3.2), messages.ts
 * (§3.3 to §3.5, §5), artifacts.ts (§3.6, §9), rateLimit.ts (§10), errors.ts (§12) and
 * faults.ts (§14, what the live API may do that the docs do not say); router.ts wires them.
 */
export class BlocksEmulator {
	readonly url: string;
	readonly apiKey: string;
	/** Every request received, in order. */
	readonly requests: RequestLogEntry[] = [];
	readonly faults: FaultController;
	/** Origin of the storage host that serves artifact files (§3.6), a listener of its own. */
	readonly storageUrl: string;
	/** Every request the storage host received, in order. */
	readonly storageRequests: RequestLogEntry[];

	private readonly server: Server;
	private readonly storage: StorageHost;
	private readonly store: Store;
	private readonly switchboard = new FaultSwitchboard();
	private readonly clock: EmulatedClock;
	private readonly turns: TurnRunner;
	private readonly rateLimit: RateLimit | null;
	private readonly stallTimers = new TimerSet();

	static async start(options: EmulatorOptions = {}): Promise<BlocksEmulator> {
		const host = options.host ?? '127.0.0.1';
		const apiKeys = options.apiKeys ?? [DEFAULT_API_KEY];
		if (apiKeys.length === 0) throw new RangeError('apiKeys must hold at least one key');
		const clock = new EmulatedClock(options.timeScale ?? 1);
		const store = new Store(clock);
		const server = createServer();
		const url = await listen(server, host, options.port ?? 0);
		let storage: StorageHost | undefined;
		try {
			storage = await StorageHost.start(host, store, apiKeys);
			return new BlocksEmulator(options, { server, url, apiKeys, clock, store, storage });
		} catch (error) {
			await Promise.all([closeServer(server), storage?.close()]);
			throw error;
		}
	}

	static startForeignHost(): Promise<ForeignHost> {
		return startForeignHost();
	}

	private constructor(
		private readonly options: EmulatorOptions,
		parts: Listeners,
	) {
		this.server = parts.server;
		this.url = parts.url;
		this.apiKey = parts.apiKeys[0];
		this.clock = parts.clock;
		this.store = parts.store;
		this.storage = parts.storage;
		this.storageUrl = parts.storage.url;
		this.storageRequests = parts.storage.requests;
		this.faults = this.switchboard;
		this.turns = new TurnRunner(this.store, this.clock, options.agent ?? echoAgent());
		const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
		this.rateLimit =
			rateLimit === false
				? null
				: new RateLimit(new SlidingWindowLimiter(rateLimit), this.clock, options.retryAfterSeconds);
		const route = createRouter({
			endpoints: {
				store: this.store,
				turns: this.turns,
				links: new LinkBuilder(options.linkBaseUrl ?? this.url),
				clock: this.clock,
				systemNotice: options.systemNotice ?? true,
				agentNames: [...CORE_AGENTS, ...(options.moreAgentNames ?? [])],
			},
			apiKeys: new Set(parts.apiKeys),
			rateLimit: this.rateLimit,
		});
		this.server.on(
			'request',
			createRequestListener({
				route,
				faults: this.switchboard,
				log: this.requests,
				stallTimers: this.stallTimers,
				errorShape: options.errorShape ?? DEFAULT_ERROR_SHAPE,
			}),
		);
	}

	setAgent(script: AgentScript): void {
		this.turns.setScript(script);
	}

	/**
	 * Completes a running (e.g. manual) turn now, with the pull requests (URLs) the agent opened in
	 * it; throws if there is no such running thread.
	 */
	finishTurn(threadId: string, reply: string, pullRequests: string[] = []): void {
		this.turns.finish(threadId, reply, pullRequests);
	}

	/**
	 * Stores an agent message in a thread with the `ts` given (a number, or null), as a deployment
	 * that stamps coarsely or not at all would (§14.11). Returns the item as it is listed.
	 */
	addAgentMessage(
		threadId: string,
		item: { type?: MessageType; message: string; ts: number | null },
	): MessageItem {
		const thread = this.store.thread(threadId);
		if (!thread) throw new Error(`No thread ${threadId}`);
		return this.store.addAgentItem(thread, { type: item.type ?? 'final_message', ...item });
	}

	/**
	 * Makes an artifact the API knows about (§9 has no way to create one), attached to `sessionId`
	 * when given; otherwise it can be attached through `artifact_ids` on create or follow-up.
	 * Its `url` is a presigned-style URL on the storage host (storageUrl) unless `partial.url` is set.
	 */
	addArtifact(sessionId?: string, partial: ArtifactInit = {}): string {
		const session = sessionId === undefined ? undefined : this.store.session(sessionId);
		if (sessionId !== undefined && !session) throw new Error(`No session ${sessionId}`);
		const artifact = this.store.addArtifact(partial, (id, fileName) =>
			this.storage.fileUrl(id, fileName),
		);
		if (session) this.store.attachArtifacts(session, [artifact.id]);
		return artifact.id;
	}

	stats(): EmulatorStats {
		const sessions = this.store.allSessions();
		return {
			sessionsCreated: sessions.length,
			followUps: sessions.reduce((sum, session) => sum + session.followUps, 0),
			requests: this.requests.length,
			rateLimited: this.rateLimit?.refused ?? 0,
		};
	}

	/** In creation order. */
	sessionIds(): string[] {
		return this.store.allSessions().map((session) => session.id);
	}

	followUpsFor(sessionId: string): number {
		return this.store.session(sessionId)?.followUps ?? 0;
	}

	threadState(threadId: string): ThreadState {
		const thread = this.store.thread(threadId);
		if (!thread) throw new Error(`No thread ${threadId}`);
		return { status: thread.status, readyAtMs: thread.readyAtMs };
	}

	/** Emulator-owned timers still pending (agent replies and stalled responses); 0 after close(). */
	pendingTimers(): number {
		return this.clock.pendingTimers + this.stallTimers.size;
	}

	/**
	 * Forgets sessions, the request logs (emptied in place, so held references stay valid), faults,
	 * rate-limit counts and pending replies, and puts back the agent from the options so a
	 * setAgent() in one test does not leak into the next. Keys and options stay.
	 */
	reset(): void {
		this.clock.cancelAll();
		this.turns.clear();
		this.turns.setScript(this.options.agent ?? echoAgent());
		this.store.clear();
		this.requests.length = 0;
		this.storageRequests.length = 0;
		this.switchboard.clear();
		this.rateLimit?.reset();
	}

	/** Closes both listeners and every connection, and clears every pending timer. Safe to call twice. */
	async close(): Promise<void> {
		this.clock.cancelAll();
		this.turns.clear();
		this.stallTimers.cancelAll();
		await Promise.all([closeServer(this.server), this.storage.close()]);
	}
}

/** What start() builds before the emulator itself. */
interface Listeners {
	server: Server;
	url: string;
	apiKeys: string[];
	clock: EmulatedClock;
	store: Store;
	storage: StorageHost;
}
