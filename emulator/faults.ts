import type { ErrorShape } from './errors';
import { errorForStatus, errorReply, htmlErrorPage } from './errors';
import type { Reply } from './reply';

/**
 * Misbehaviours a test can switch on (docs/blocks-api.md §12, §14): the live API's answers in
 * these cases are undocumented, so clients must survive all of them.
 */
export type Fault =
	/** Any status, e.g. 5xx or a 429 carrying Retry-After in seconds or HTTP-date form (§10). The request is not applied. */
	| { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
	/** The socket is destroyed before the request is processed: nothing was applied. */
	| { kind: 'resetBefore' }
	/** The request is processed (e.g. the session IS created) and then the socket is destroyed unanswered. */
	| { kind: 'resetAfter' }
	/** The request is processed at once but its response is held `ms` real milliseconds. */
	| { kind: 'stall'; ms: number }
	/** The request is processed and answered 200 with a truncated JSON body. */
	| { kind: 'malformedJson' }
	/** A proxy-style HTML error page; the request is not applied. */
	| { kind: 'html'; status: number }
	/**
	 * The next error responses use this body shape instead of the emulator's default
	 * (`{"error": "..."}`, §12): `{"error": {"code","message"}}`, `{"code","message"}`, an HTML
	 * page or an empty body.
	 */
	| { kind: 'errorShape'; shape: ErrorShape }
	/** The reply of the turn started by the matching create/follow-up is padded to at least this many bytes. */
	| { kind: 'hugeReply'; bytes: number }
	/** Session objects carry one pull request in this element type (§14.14). */
	| { kind: 'pullRequests'; as: 'ids' | 'urls' | 'objects' }
	/** Every JSON object in the response gets an unknown field (§14.15: clients must ignore them). */
	| { kind: 'extraFields' }
	/** The turn started by the matching create/follow-up stores its assistant items with `ts: null` (§14.11). */
	| { kind: 'nullTs' }
	/**
	 * A listing that ignores the thread (the threaded URL of §3.5 or the `thread_id` filter of
	 * §3.4) and answers with the whole session's items: a client that trusts the filter takes
	 * another turn's reply for this one's.
	 */
	| { kind: 'ignoreThreadFilter' }
	/**
	 * A listing whose items all name the session's first thread in `chat_thread_id`, whatever
	 * thread they belong to, as Blocks' own mock server (blocks-ci-sessions,
	 * `scripts/mock-api.mjs`) labels them: a follow-up's reply then names another thread.
	 */
	| { kind: 'firstThreadLabels' };

export type FaultKind = Fault['kind'];
export type FaultOf<K extends FaultKind> = Extract<Fault, { kind: K }>;

export interface FaultRule {
	/** `query` is tested against the raw query string, without '?'. */
	match?: { method?: string; path?: RegExp; query?: RegExp };
	/** How many applications before the rule is spent; default 1, Infinity allowed. */
	times?: number;
	fault: Fault;
}

export interface FaultController {
	add(rule: FaultRule): void;
	clear(): void;
	/** How many times any rule was applied since the last clear(). */
	applied(): number;
}

/** What a rule is matched against: the request line, path and query string apart. */
export interface FaultTarget {
	method: string;
	path: string;
	/** Without '?'; absent counts as empty. */
	query?: string;
}

interface ArmedRule {
	rule: FaultRule;
	remaining: number;
}

/**
 * Holds the armed rules. A rule is spent only where its effect actually lands (an `errorShape`
 * rule waits for an error response, a `hugeReply` rule for a request that starts a turn), so each
 * use of `times` is visible in exactly one request log entry.
 */
export class FaultSwitchboard implements FaultController {
	private armed: ArmedRule[] = [];
	private applications = 0;

	add(rule: FaultRule): void {
		const times = rule.times ?? 1;
		if (!(times >= 1)) throw new RangeError(`FaultRule.times must be >= 1, got ${rule.times}`);
		this.armed.push({ rule, remaining: times });
	}

	clear(): void {
		this.armed = [];
		this.applications = 0;
	}

	applied(): number {
		return this.applications;
	}

	/**
	 * The one place that decides whether a rule applies: the oldest live rule whose fault is one of
	 * `kinds` and whose match fits the request. Taking it consumes one of its `times`.
	 */
	take<K extends FaultKind>(kinds: readonly K[], target: FaultTarget): FaultOf<K> | undefined {
		const index = this.armed.findIndex(
			({ rule }) =>
				(kinds as readonly FaultKind[]).includes(rule.fault.kind) && matches(rule, target),
		);
		if (index < 0) return undefined;
		const entry = this.armed[index];
		entry.remaining -= 1;
		if (entry.remaining <= 0) this.armed.splice(index, 1);
		this.applications += 1;
		return entry.rule.fault as FaultOf<K>;
	}
}

function matches(rule: FaultRule, target: FaultTarget): boolean {
	const { method, path, query } = rule.match ?? {};
	if (method !== undefined && method.toUpperCase() !== target.method.toUpperCase()) return false;
	return fits(path, target.path) && fits(query, target.query ?? '');
}

function fits(pattern: RegExp | undefined, value: string): boolean {
	if (pattern === undefined) return true;
	// A /g or /y pattern remembers lastIndex between calls; reset it so a rule matches the same way every time.
	pattern.lastIndex = 0;
	return pattern.test(value);
}

/** Faults that replace or break the whole exchange; at most one applies per request. */
export const EXCHANGE_FAULTS = [
	'status',
	'resetBefore',
	'resetAfter',
	'stall',
	'malformedJson',
	'html',
] as const;
export type ExchangeFault = FaultOf<(typeof EXCHANGE_FAULTS)[number]>;

/**
 * The answer of a `status` or `html` fault, given instead of the API's. A status fault without
 * a body of its own gets an API-style error body in the current shape.
 */
export function injectedReply(
	fault: FaultOf<'status' | 'html'>,
	errorShape: () => ErrorShape,
): Reply {
	if (fault.kind === 'html') return htmlErrorPage(fault.status);
	const headers = fault.headers ?? {};
	if (fault.body !== undefined)
		return { status: fault.status, text: fault.body, contentType: JSON_CONTENT_TYPE, headers };
	if (fault.status < 400) return { status: fault.status, text: '', headers };
	const reply = errorReply(errorForStatus(fault.status), errorShape());
	return { ...reply, headers: { ...reply.headers, ...headers } };
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

const EXTRA_FIELD = { name: 'x_emulator_unknown_field', value: 'clients must ignore this' };

/** The `extraFields` fault (§14.15): every object gets a field the docs do not list. */
export function withExtraFields(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(withExtraFields);
	if (typeof value !== 'object' || value === null) return value;
	const copy: Record<string, unknown> = {};
	for (const [key, field] of Object.entries(value)) copy[key] = withExtraFields(field);
	copy[EXTRA_FIELD.name] = EXTRA_FIELD.value;
	return copy;
}

/** The `malformedJson` fault: the first half of the body, as a 200 that claims to be JSON. */
export function truncatedJson(body: string): { status: number; body: string } {
	const cut = Math.max(1, Math.floor(body.length / 2));
	return { status: 200, body: body.length > 1 ? body.slice(0, cut) : '{"' };
}
