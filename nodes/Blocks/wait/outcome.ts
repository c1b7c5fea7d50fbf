import type { IDataObject } from 'n8n-workflow';

import type { RefusedReplies } from './thread';

/** The one item every wait emits (documented in docs/waiting.md, "The wait item"). */
export interface WaitOutcome extends IDataObject {
	status: 'replied' | 'timed_out';
	reply: string | null;
	session_id: string;
	thread_id: string;
	reply_url: string;
	final_message: IDataObject | null;
	waited_ms: number;
	polls: number;
	/** Rounds of waiting on this turn so far, this one included (a loop carries it on). */
	rounds: number;
	/** Time waited on this turn since its first round began, parked time between rounds included. */
	waited_ms_total: number;
	/**
	 * Only on a wait that ended without a reply: final messages the reply link answered with that
	 * named another thread, and so were not taken as this turn's reply.
	 */
	refused_replies?: RefusedReplies;
	/** When the turn's first round began (ISO 8601): Give Up After counts from it. */
	waiting_since: string;
}
