import type { IDataObject } from 'n8n-workflow';

import { byTime, messageTime } from '../helpers/messages';

/**
 * Where the Blocks Trigger has read up to in one session, kept in the workflow's static data so
 * each message fires exactly once, across polls and restarts.
 *
 * Messages are found with the `gts` cursor (docs/blocks-api.md §3.4, §4): only messages whose `ts` is
 * strictly greater come back. Two messages may share a `ts`, and a message may be stored after
 * one with a later `ts` (§14.11), so each poll asks from a little before the newest `ts` seen
 * and skips the IDs it already fired. A message with `ts: null` never satisfies `gts` (§14.11):
 * those are looked for on the session's newest page instead, and remembered by ID.
 */
export interface SessionCursor {
	/** The newest `ts` seen (epoch seconds). */
	gts: number;
	/** IDs already fired (or present at the start) with their `ts`, within the overlap. */
	recent: Record<string, number>;
	/** Messages without `ts` already fired (or present at the start): ID → created_at (ms). */
	untimed: Record<string, number>;
	/** Messages without `ts` created before this (ms) never fire. */
	untimedSince: number;
}

/**
 * How far before the newest `ts` each poll reads again. The contract warns of duplicates and
 * gaps around second boundaries (§14.11) without saying how wide; a minute costs a few
 * re-read messages per poll and covers stamps taken well before the message was stored.
 */
export const OVERLAP_SECONDS = 60;

/** Messages without `ts` remembered per session; older ones are forgotten and never fire. */
const MAX_UNTIMED = 500;

export type Message = IDataObject;

function hasTs(message: Message): message is Message & { ts: number } {
	return typeof message.ts === 'number' && Number.isFinite(message.ts);
}

function createdMs(message: Message): number {
	return Date.parse(String(message.created_at ?? '')) || 0;
}

/** A cursor from which every message fires, for "Include Existing Messages". */
export function cursorFromTheStart(): SessionCursor {
	return { gts: 0, recent: {}, untimed: {}, untimedSince: 0 };
}

/**
 * A cursor at "now", taken from the session's newest matching messages rather than from this
 * machine's clock (which may differ from Blocks'): what is there now is old, anything later new.
 * With no matching message yet, every later one is new, which the start cursor already says.
 */
export function cursorAfter(newest: Message[]): SessionCursor {
	const timed = newest.filter(hasTs);
	const cursor = cursorFromTheStart();
	if (newest.length === 0) return cursor;
	cursor.gts = timed.length
		? Math.max(...timed.map((message) => message.ts))
		: Math.max(...newest.map(messageTime));
	cursor.untimedSince = Math.max(...newest.map(createdMs));
	return cursor;
}

export interface Advance {
	/** Messages to fire, oldest first. */
	fresh: Message[];
	next: SessionCursor;
}

/**
 * What is new in what a poll read: `timed`, the messages listed after `gts - OVERLAP_SECONDS`,
 * and `newest`, the session's newest page (for messages without `ts`). Returns them with the
 * cursor to keep; the given cursor is not changed.
 */
export function advance(cursor: SessionCursor, timed: Message[], newest: Message[]): Advance {
	const fresh: Message[] = [];
	const recent = { ...cursor.recent };
	let gts = cursor.gts;
	for (const message of timed) {
		if (!hasTs(message)) continue;
		const id = String(message.id);
		if (id in recent || message.ts <= cursor.gts - OVERLAP_SECONDS) continue;
		recent[id] = message.ts;
		gts = Math.max(gts, message.ts);
		fresh.push(message);
	}
	// Only IDs the next poll can list again are kept.
	for (const [id, ts] of Object.entries(recent)) {
		if (ts <= gts - OVERLAP_SECONDS) delete recent[id];
	}

	const untimed = { ...cursor.untimed };
	for (const message of newest) {
		if (hasTs(message)) continue;
		const id = String(message.id);
		const created = createdMs(message);
		if (id in untimed || created < cursor.untimedSince) continue;
		untimed[id] = created;
		fresh.push(message);
	}
	let untimedSince = cursor.untimedSince;
	const remembered = Object.entries(untimed).sort(([, a], [, b]) => b - a);
	if (remembered.length > MAX_UNTIMED) {
		untimedSince = remembered[MAX_UNTIMED - 1][1];
		for (const [id, created] of remembered) if (created < untimedSince) delete untimed[id];
	}

	return { fresh: fresh.sort(byTime), next: { gts, recent, untimed, untimedSince } };
}

/** Marks everything read as seen without firing: the start of a trigger without history. */
export function skipAll(cursor: SessionCursor, timed: Message[], newest: Message[]): SessionCursor {
	return advance(cursor, timed, newest).next;
}
