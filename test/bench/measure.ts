import type { LoggedRequest } from './emulatorHost';
import type { ItemOutcome } from './strategies';

const THREAD_POLL = /^\/rest\/v1\/sessions\/([^/]+)\/threads\/([^/]+)\/messages$/;

/** A poll received this long (real ms) before the reply was stored may still have carried it. */
const SAME_MOMENT_MS = 2;

/** Every GET of a thread's messages in the log, by thread id, in arrival order. */
export function pollsByThread(log: LoggedRequest[]): Map<string, LoggedRequest[]> {
	const polls = new Map<string, LoggedRequest[]>();
	for (const entry of log) {
		const match = entry.method === 'GET' ? THREAD_POLL.exec(entry.path) : null;
		if (!match) continue;
		const list = polls.get(match[2]) ?? [];
		list.push(entry);
		polls.set(match[2], list);
	}
	return polls;
}

export interface Detection {
	/** Emulated ms from the reply being stored to the arrival of the poll that returned it. */
	delaysMs: number[];
	/** Threads whose reply was found (for a run stopped at the cap: read from the log alone). */
	detected: number;
	/** Detecting polls logged before the reply was stored (should stay 0). */
	anomalies: number;
}

/**
 * Detection delay, one ruler for every strategy: every strategy stops polling a thread once it
 * has the reply, so the thread's last poll answered 200 is the one that returned it. Its arrival
 * at the emulator (request log, real ms) minus the moment the emulator stored the reply
 * (`threadState().readyAtMs`, real ms), times the scale, is the delay in emulated ms. Items a
 * strategy reports as done are measured this way; for a run stopped at the cap (whose node
 * output is lost) a thread counts as detected when its last 200 poll arrived after the reply.
 */
export function detect(
	outcomes: ItemOutcome[],
	capped: boolean,
	polls: Map<string, LoggedRequest[]>,
	readyAt: Map<string, number | null>,
	scale: number,
): Detection {
	const known = outcomes.filter((outcome) => outcome.state === 'done' && outcome.threadId);
	const fromLogOnly = capped && known.length === 0;
	const threadIds = fromLogOnly
		? [...polls.keys()]
		: known.map((outcome) => outcome.threadId as string);
	const delaysMs: number[] = [];
	let anomalies = 0;
	for (const threadId of threadIds) {
		const delay = detectionDelayMs(polls.get(threadId) ?? [], readyAt.get(threadId), scale);
		if (delay !== undefined) delaysMs.push(delay);
		else if (!fromLogOnly) anomalies++;
	}
	return { delaysMs, detected: delaysMs.length, anomalies };
}

/**
 * One thread's detection delay in emulated ms: its last poll answered 200 (the one that returned
 * the reply) less the moment the reply was stored. Undefined when there is none to measure, or
 * the poll came before the reply.
 */
function detectionDelayMs(
	threadPolls: LoggedRequest[],
	ready: number | null | undefined,
	scale: number,
): number | undefined {
	const answered = threadPolls.filter((entry) => entry.status === 200);
	const last = answered[answered.length - 1];
	if (ready === null || ready === undefined || !last) return undefined;
	const realDelay = last.receivedAt - ready;
	return realDelay < -SAME_MOMENT_MS ? undefined : Math.max(0, realDelay) * scale;
}

/** One reply of a spread: when it was due, how late it was seen, and what it cost. */
export interface ReplySeen {
	/** The agent's reply time (emulated ms after the create). */
	replyMs: number;
	/** Detection delay, emulated ms, as `detect` measures it. */
	delayMs: number;
	/** The create and every poll of the reply's thread. */
	requests: number;
}

/**
 * Each reply an item got, on its own (for spreads of single waits): the same ruler as `detect`,
 * and the requests spent on its thread, the create included.
 */
export function repliesSeen(
	outcomes: ItemOutcome[],
	replyMsOf: (index: number) => number,
	polls: Map<string, LoggedRequest[]>,
	readyAt: Map<string, number | null>,
	scale: number,
): ReplySeen[] {
	const seen: ReplySeen[] = [];
	for (const outcome of outcomes) {
		if (outcome.state !== 'done' || !outcome.threadId) continue;
		const threadPolls = polls.get(outcome.threadId) ?? [];
		const delayMs = detectionDelayMs(threadPolls, readyAt.get(outcome.threadId), scale);
		if (delayMs === undefined) continue;
		seen.push({ replyMs: replyMsOf(outcome.index), delayMs, requests: threadPolls.length + 1 });
	}
	return seen;
}

/** Quantile with linear interpolation between order statistics (q in [0, 1]). */
export function quantile(values: number[], q: number): number | undefined {
	if (values.length === 0) return undefined;
	const sorted = [...values].sort((a, b) => a - b);
	const position = (sorted.length - 1) * q;
	const low = Math.floor(position);
	const high = Math.ceil(position);
	return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

/**
 * The fastest a client that knew every reply time could finish under a request allowance (a
 * sliding window of `allowance` requests per `windowMs`, as the node's budget and the emulator
 * count): it sends the creates back to back as the allowance permits, then exactly one poll per
 * session the moment its reply is ready (or at the next free slot). Request latency is taken as
 * zero. Returns emulated ms from the first create to the last poll.
 */
export function clairvoyantMakespanMs(
	delaysMs: number[],
	allowance: number,
	windowMs = 60_000,
): number {
	const sent: number[] = [];
	const nextSlot = (wanted: number): number => {
		const notBefore = Math.max(wanted, sent.length > 0 ? sent[sent.length - 1] : 0);
		if (sent.length < allowance) return notBefore;
		return Math.max(notBefore, sent[sent.length - allowance] + windowMs);
	};
	const readyPolls: number[] = [];
	let makespan = 0;
	let lastCreate = 0;
	let created = 0;
	while (created < delaysMs.length || readyPolls.length > 0) {
		const createAvailable = created < delaysMs.length ? lastCreate : Number.POSITIVE_INFINITY;
		const pollAvailable = readyPolls.length > 0 ? readyPolls[0] : Number.POSITIVE_INFINITY;
		if (createAvailable <= pollAvailable) {
			const at = nextSlot(createAvailable);
			sent.push(at);
			lastCreate = at;
			const ready = at + delaysMs[created++];
			const insertAt = readyPolls.findIndex((time) => time > ready);
			readyPolls.splice(insertAt < 0 ? readyPolls.length : insertAt, 0, ready);
		} else {
			const at = nextSlot(readyPolls.shift() as number);
			sent.push(at);
			makespan = Math.max(makespan, at);
		}
	}
	return makespan;
}
