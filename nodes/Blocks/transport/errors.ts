import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { NOT_BLOCKS_HINT } from '../../../credentials/BlocksApi.credentials';
import { CancelledError } from '../time';

import type { BudgetSettings } from './rateBudget';
import { MAX_SERVER_WAIT_MS } from './retryPolicy';

/** What Blocks answered, read without trusting the body's shape (docs/blocks-api.md §12, §14.2). */
export interface BlocksFailure {
	status: number;
	code: string | undefined;
	message: string | undefined;
}

/**
 * Blocks does not document its error body. Seen or expected: `{"error": "…"}`,
 * `{"error": {"code", "message"}}`, `{"code", "message"}`, an HTML page, or nothing.
 */
export function readFailure(status: number, body: unknown): BlocksFailure {
	const object = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
	const nested =
		typeof object.error === 'object' && object.error !== null
			? (object.error as Record<string, unknown>)
			: {};
	const text = (value: unknown) =>
		typeof value === 'string' && value.trim() ? value.trim() : undefined;
	return {
		status,
		code: text(nested.code) ?? text(object.code),
		message:
			text(nested.message) ??
			text(object.error) ??
			text(object.message) ??
			(typeof body === 'string' && !/^\s*</.test(body) ? text(body)?.slice(0, 300) : undefined),
	};
}

const HINTS: Array<[(status: number) => boolean, string, (limit: BudgetSettings) => string]> = [
	[
		(s) => s === 401,
		'Blocks did not accept the API key',
		// Blocks' own client answers 401 for a wrong key too, not only a missing one (§12).
		() =>
			'Check the key in the Blocks API credential: it may be missing, mistyped, expired or deleted.',
	],
	[
		(s) => s === 403,
		'Blocks rejected the API key',
		() =>
			'Check the key in the Blocks API credential: it may be mistyped, expired or deleted, or belong to another deployment than the Base URL.',
	],
	[
		(s) => s === 404,
		'Blocks has no such session or thread',
		() =>
			'Check the session (and thread) ID. Sessions of another workspace also answer 404: the key must belong to the workspace that owns the session.',
	],
	[
		(s) => s === 400 || s === 422,
		'Blocks rejected the request',
		() => 'Check the node fields named in the message.',
	],
	[
		(s) => s === 429,
		'Blocks rate limit reached',
		({ requestsPerMinute }) =>
			`The Blocks API credential says this key allows ${requestsPerMinute} requests per minute, shared by every workflow and client that uses it, and Blocks still answered 429: something else uses the key too, or its limit is lower. Lower "Requests per Minute" in the credential to what the key really allows, space out runs, lengthen poll intervals, or use a separate key for this workflow.`,
	],
	[
		(s) => s >= 500,
		'Blocks had a server error',
		() => 'This is usually temporary. Try again in a minute.',
	],
];

export function blocksApiError(
	node: INode,
	failure: BlocksFailure,
	itemIndex: number,
	limit: BudgetSettings,
): NodeApiError {
	const [, title, hint] = HINTS.find(([applies]) => applies(failure.status)) ?? [
		undefined,
		'Blocks answered with an error',
		() => 'See the message for details.',
	];
	const detail = [failure.code, failure.message].filter(Boolean).join(': ');
	const response: JsonObject = {
		status: failure.status,
		code: failure.code ?? null,
		message: failure.message ?? null,
	};
	const error = new NodeApiError(node, response, {
		message: detail ? `${title} (${failure.status} ${detail})` : `${title} (${failure.status})`,
		description: hint(limit),
		httpCode: String(failure.status),
		itemIndex,
	});
	if (failure.status === 429 || failure.status >= 500) error.context.transient = true;
	return error;
}

/**
 * The Base URL answered with a web page (a dashboard, a login page, a site's 404): the same words
 * as the credential test's, which cannot catch every such address (credentials/BlocksApi).
 */
export function notBlocksError(node: INode, status: number, itemIndex: number): NodeApiError {
	return new NodeApiError(
		node,
		{ status, message: null },
		{
			message: `This address answers with a web page, not the Blocks API (${status})`,
			description: `Nothing reached Blocks. ${NOT_BLOCKS_HINT}`,
			httpCode: String(status),
			itemIndex,
		},
	);
}

/**
 * Blocks asked (Retry-After) for a longer pause than the node waits out on its own: the item
 * fails at once, quoting what Blocks asked, rather than hold the workflow for it.
 */
export function askedTooLongError(
	node: INode,
	status: number,
	retryAfterMs: number,
	itemIndex: number,
): NodeApiError {
	const asked = seconds(retryAfterMs);
	const error = new NodeApiError(
		node,
		{ status, retry_after_seconds: asked, message: null },
		{
			message: `Blocks answered ${status} and asked to wait ${asked} s before trying again (Retry-After), longer than the node waits for it (${seconds(MAX_SERVER_WAIT_MS)} s)`,
			description:
				status === 429
					? 'Blocks did nothing with this request. The API key is rate limited: run the item again later, or use another key.'
					: 'Blocks is unavailable for now. Run the item again later.',
			httpCode: String(status),
			itemIndex,
		},
	);
	error.context.transient = true;
	return error;
}

function seconds(ms: number): number {
	return Math.ceil(ms / 1000);
}

/**
 * The key's budget had no slot before the request's deadline. Blocks was not asked: the node
 * held the request back itself, to stay under the limit the credential states.
 */
export function heldBackError(
	node: INode,
	itemIndex: number,
	limit: BudgetSettings,
): NodeOperationError {
	const ownShare = Math.max(1, Math.floor(limit.requestsPerMinute * (1 - limit.reservedShare)));
	const error = new NodeOperationError(
		node,
		`The node held this request back to stay under the API key's limit (${limit.requestsPerMinute} requests per minute) and no slot came free in time`,
		{
			itemIndex,
			description: `Nothing was sent for it. This n8n may use ${ownShare} requests a minute of the key (the rest is reserved for other clients), and every Blocks node and execution using the key shares them. Raise "Max Wait" so the item can wait its turn, raise "Requests per Minute" in the Blocks API credential if the key allows more, or run fewer items at once or with a longer "Poll Interval".`,
		},
	);
	error.context.transient = true;
	return error;
}

/** A failure that says nothing about the request itself (429, 5xx, no answer, no slot yet). */
export function isTransient(error: unknown): boolean {
	return (
		(error instanceof NodeApiError || error instanceof NodeOperationError) &&
		error.context.transient === true
	);
}

/**
 * A create or follow-up without a usable answer: Blocks may have applied it, so it is not sent
 * again, and `ifUnanswered` tells the user what to check before running the item again. The
 * original error is never passed on: it carries the request options, headers included, and so
 * the API key.
 */
export function unconfirmedError(
	node: INode,
	reason: string,
	itemIndex: number,
	ifUnanswered: string | undefined,
): NodeApiError {
	return networkError(node, reason, itemIndex, {
		message: `Blocks did not confirm the request (${reason}): it may have been applied`,
		description: ifUnanswered ?? CHECK_THE_CONNECTION,
	});
}

/**
 * The execution stopped (cancelled, or another item failed) while this request was out. A create
 * or follow-up may have reached Blocks all the same, so its error keeps what to check before
 * running the item again (`ifUnanswered`): the node's error lists it beside the turns the node
 * started (actions/startedTurns.ts).
 */
export function stoppedError(
	node: INode,
	itemIndex: number,
	write: { ifUnanswered?: string } | undefined,
): NodeOperationError {
	const error = new NodeOperationError(node, new CancelledError().message, { itemIndex });
	if (write) error.context.sendCutShort = write.ifUnanswered ?? CHECK_THE_CONNECTION;
	return error;
}

/** What to check about a send the stop cut short (stoppedError), if the error is one. */
export function sendCutShortOf(error: NodeApiError | NodeOperationError): string | undefined {
	const check = error.context.sendCutShort;
	return typeof check === 'string' ? check : undefined;
}

/** No usable answer to a read, or a request that never reached Blocks. */
export function unreachableError(
	node: INode,
	reason: string,
	itemIndex: number,
	nothingSent: boolean,
): NodeApiError {
	return networkError(node, reason, itemIndex, {
		message: nothingSent
			? `Could not reach Blocks (${reason}): not sent; safe to run again`
			: `Could not reach Blocks (${reason})`,
		description: nothingSent
			? `The request never reached Blocks: nothing was sent, so running the item again is safe. ${CHECK_THE_CONNECTION}`
			: CHECK_THE_CONNECTION,
	});
}

const CHECK_THE_CONNECTION =
	'Check the Base URL in the Blocks API credential and the network between n8n and Blocks.';

function networkError(
	node: INode,
	reason: string,
	itemIndex: number,
	text: { message: string; description: string },
): NodeApiError {
	const error = new NodeApiError(
		node,
		{ status: null, network_error: reason, message: null },
		{ ...text, itemIndex },
	);
	// n8n swaps a message that names a common error code (ECONNREFUSED…) for its generic text,
	// which would drop whether the request was sent: keep ours.
	error.message = text.message;
	error.context.transient = true;
	return error;
}
