import { createServer, type Server } from 'node:http';

import type { AgentScript } from './agent';
import { echoAgent, TurnRunner } from './agent';
import { EmulatedClock, TimerSet } from './clock';
import type { FaultController } from './faults';
import { FaultSwitchboard } from './faults';
import type { ForeignHost } from './foreignHost';
import { startForeignHost } from './foreignHost';
import { LinkBuilder } from './links';
import { SlidingWindowLimiter } from './rateLimit';
import { createRoutes, STORAGE_PREFIX } from './routes';
import type { RequestLogEntry } from './server';
import { closeServer, createRequestListener, listen } from './server';
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

/** A local Blocks Sessions API (docs: /work/shared/blocks-api.md) on loopback, for tests, demos and benchmarks. */
export class BlocksEmulator {
	readonly url: string;
	readonly apiKey: string;
	/** Every request received, in order. */
	readonly requests: RequestLogEntry[] = [];
	readonly faults: FaultController;

	private readonly switchboard = new FaultSwitchboard();
	private readonly clock: EmulatedClock;
	private readonly store: Store;
	private readonly turns: TurnRunner;
	private readonly limiter: SlidingWindowLimiter | null;
	private readonly stallTimers = new TimerSet();
	private rateLimitedCount = 0;

	static async start(options: EmulatorOptions = {}): Promise<BlocksEmulator> {
		const server = createServer();
		const url = await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
		try {
			return new BlocksEmulator(options, server, url);
		} catch (error) {
			await closeServer(server);
			throw error;
		}
	}

	static startForeignHost(): Promise<ForeignHost> {
		return startForeignHost();
	}

	private constructor(
		private readonly options: EmulatorOptions,
		private readonly server: Server,
		url: string,
	) {
		const apiKeys = options.apiKeys ?? [DEFAULT_API_KEY];
		if (apiKeys.length === 0) throw new RangeError('apiKeys must hold at least one key');
		this.url = url;
		this.apiKey = apiKeys[0];
		this.faults = this.switchboard;
		this.clock = new EmulatedClock(options.timeScale ?? 1);
		this.store = new Store(this.clock);
		this.turns = new TurnRunner(this.store, this.clock, options.agent ?? echoAgent());
		const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
		this.limiter = rateLimit === false ? null : new SlidingWindowLimiter(rateLimit);
		const routes = createRoutes({
			store: this.store,
			turns: this.turns,
			links: new LinkBuilder(options.linkBaseUrl ?? url),
			clock: this.clock,
			systemNotice: options.systemNotice ?? true,
		});
		server.on(
			'request',
			createRequestListener({
				routes,
				apiKeys: new Set(apiKeys),
				limiter: this.limiter,
				clock: this.clock,
				faults: this.switchboard,
				log: this.requests,
				stallTimers: this.stallTimers,
				retryAfterSeconds: options.retryAfterSeconds,
				onRateLimited: () => {
					this.rateLimitedCount += 1;
				},
			}),
		);
	}

	setAgent(script: AgentScript): void {
		this.turns.setScript(script);
	}

	/** Completes a running (e.g. manual) turn now; throws if there is no such running thread. */
	finishTurn(threadId: string, reply: string): void {
		this.turns.finish(threadId, reply);
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
	 * Its `url` points at this emulator's unauthenticated storage path unless `partial.url` is set.
	 */
	addArtifact(sessionId?: string, partial: ArtifactInit = {}): string {
		const session = sessionId === undefined ? undefined : this.store.session(sessionId);
		if (sessionId !== undefined && !session) throw new Error(`No session ${sessionId}`);
		const artifact = this.store.addArtifact(
			partial,
			(id, fileName) =>
				`${this.url}${STORAGE_PREFIX}/${id}/${encodeURIComponent(fileName)}?signature=emulated`,
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
			rateLimited: this.rateLimitedCount,
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
	 * Forgets sessions, the request log (emptied in place, so held references stay valid), faults,
	 * rate-limit counts and pending replies, and puts back the agent from the options so a
	 * setAgent() in one test does not leak into the next. Keys and options stay.
	 */
	reset(): void {
		this.clock.cancelAll();
		this.turns.clear();
		this.turns.setScript(this.options.agent ?? echoAgent());
		this.store.clear();
		this.requests.length = 0;
		this.switchboard.clear();
		this.limiter?.reset();
		this.rateLimitedCount = 0;
	}

	/** Closes the listener and every connection, and clears every pending timer. Safe to call twice. */
	async close(): Promise<void> {
		this.clock.cancelAll();
		this.turns.clear();
		this.stallTimers.cancelAll();
		await closeServer(this.server);
	}
}
