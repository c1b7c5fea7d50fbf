import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { clock } from '../../time';
import { apiPath, blocksApiRequest, connectionOf } from '../../transport';
import { executionEndsAt } from '../../host/executionLimit';
import type { WaitOutcome } from '../../wait/outcome';
import { asNodeError } from '../../wait/waitErrors';
import { pullRequestUrls } from '../../helpers/pullRequests';
import type { ReplyExtras } from './wait.fields';
import { readTranscript } from './transcript';

/**
 * How long the reads after a reply keep trying through 429s and 5xx. The reply is in hand: a
 * busy key or a flaky server may delay the item a little, not hold it for minutes.
 */
const PATIENCE_MS = 20_000;
/** Kept free before a known execution time limit, so n8n never stops the node mid-read. */
const TIME_LIMIT_MARGIN_MS = 2_000;

/** The session's fields Include Session adds, null when the read failed. */
const SESSION_FIELDS = ['title', 'session_html_url', 'pull_requests', 'plan_artifact_ids'];

/**
 * Adds what the user asked for to a wait's item once the reply is in: the session read once
 * more (its pull requests only appear after the turn, docs/blocks-api.md §3.2) and the turn's
 * transcript. Only a `replied` item gets them: a turn still running has neither yet.
 *
 * A read that fails does not fail the item. The reply is what the workflow waited for, and it
 * cannot be had again without running the item again, which for Create Session or Send Message
 * would start a second session or interrupt the agent. So the item goes out with the reply, the
 * fields that read would have added set to null, and `include_errors` saying what failed, for
 * an IF node to branch on. Only a stopping execution (cancelled, or another item failed) ends
 * the item, as everywhere else.
 */
export async function withReplyExtras(
	context: IExecuteFunctions,
	outcome: WaitOutcome,
	extras: ReplyExtras,
	itemIndex: number,
	signal: AbortSignal,
): Promise<WaitOutcome> {
	if (outcome.status !== 'replied' || (!extras.session && !extras.transcript)) return outcome;
	const request = {
		itemIndex,
		signal,
		connection: await connectionOf(context),
		...bounds(context),
	};
	const added: IDataObject = {};
	const errors: IDataObject = {};
	const attempt = async (
		part: string,
		read: () => Promise<IDataObject>,
		onFailure: IDataObject,
	) => {
		try {
			Object.assign(added, await read());
		} catch (error) {
			if (signal.aborted) {
				const stopped = asNodeError(context.getNode(), error, itemIndex);
				throw stopped;
			}
			Object.assign(added, onFailure);
			errors[part] = error instanceof Error ? error.message : String(error);
		}
	};

	if (extras.session) {
		await attempt(
			'session',
			async () => {
				const session = await blocksApiRequest.call(context, {
					method: 'GET',
					path: apiPath.session(outcome.session_id),
					retry: 'idempotent',
					...request,
				});
				return sessionFields(session);
			},
			{
				...Object.fromEntries(SESSION_FIELDS.map((field) => [field, null])),
				pull_request_urls: null,
			},
		);
	}
	if (extras.transcript) {
		await attempt(
			'transcript',
			async () => ({
				transcript: await readTranscript(context, outcome.session_id, outcome.thread_id, request),
			}),
			{ transcript: null },
		);
	}
	return {
		...outcome,
		...added,
		...(Object.keys(errors).length ? { include_errors: errors } : {}),
	};
}

/** No retry after PATIENCE_MS, and no request past the execution's time limit when n8n states one. */
function bounds(context: IExecuteFunctions): { retryUntil: number; endBy?: number } {
	const now = clock().now();
	const limit = executionEndsAt(context, now);
	const endBy = limit === undefined ? undefined : Math.max(now, limit - TIME_LIMIT_MARGIN_MS);
	return { retryUntil: Math.min(now + PATIENCE_MS, endBy ?? Infinity), endBy };
}

function sessionFields(session: IDataObject): IDataObject {
	const fields: IDataObject = {};
	for (const field of SESSION_FIELDS) fields[field] = session[field] ?? null;
	fields.pull_request_urls = pullRequestUrls(session.pull_requests);
	return fields;
}
