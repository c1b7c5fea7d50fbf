import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/** What Blocks answered, read without trusting the body's shape (contract §12, §14.2). */
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

const HINTS: Array<[(status: number) => boolean, string, string]> = [
	[
		(s) => s === 401,
		'Blocks did not receive a valid API key',
		'Check that the Blocks API credential has an API key.',
	],
	[
		(s) => s === 403,
		'Blocks rejected the API key',
		'Check the key in the Blocks API credential: it may be mistyped, expired or deleted, or belong to another deployment than the Base URL.',
	],
	[
		(s) => s === 404,
		'Blocks has no such session or thread',
		'Check the session (and thread) ID. Sessions of another workspace also answer 404: the key must belong to the workspace that owns the session.',
	],
	[
		(s) => s === 400 || s === 422,
		'Blocks rejected the request',
		'Check the node fields named in the message.',
	],
	[
		(s) => s === 429,
		'Blocks rate limit reached',
		'The API key allows 100 requests per minute across every workflow that uses it. Space out runs, lengthen poll intervals, or use a separate key for this workflow.',
	],
	[
		(s) => s >= 500,
		'Blocks had a server error',
		'This is usually temporary. Try again in a minute.',
	],
];

export function blocksApiError(
	node: INode,
	failure: BlocksFailure,
	itemIndex: number,
): NodeApiError {
	const [, title, hint] = HINTS.find(([applies]) => applies(failure.status)) ?? [
		undefined,
		'Blocks answered with an error',
		'See the message for details.',
	];
	const detail = [failure.code, failure.message].filter(Boolean).join(': ');
	const response: JsonObject = {
		status: failure.status,
		code: failure.code ?? null,
		message: failure.message ?? null,
	};
	const error = new NodeApiError(node, response, {
		message: detail ? `${title} (${failure.status} ${detail})` : `${title} (${failure.status})`,
		description: hint,
		httpCode: String(failure.status),
		itemIndex,
	});
	if (failure.status === 429 || failure.status >= 500) error.context.transient = true;
	return error;
}

/** A failure that says nothing about the request itself (429, 5xx, no answer): worth asking again. */
export function isTransient(error: unknown): boolean {
	return error instanceof NodeApiError && error.context.transient === true;
}

/**
 * A failure with no HTTP answer. The original error is not passed on: it carries the request
 * options, headers included, and so the API key.
 */
export function blocksNetworkError(
	node: INode,
	reason: string,
	itemIndex: number,
	mayHaveBeenApplied: string | undefined,
): NodeApiError {
	// The reason is not passed as `code`: n8n would swap the message for its generic text.
	const error = new NodeApiError(
		node,
		{ status: null, network_error: reason, message: null },
		{
			message: mayHaveBeenApplied
				? `Blocks did not confirm the request (${reason}): it may have been applied`
				: `Could not reach Blocks (${reason})`,
			description:
				mayHaveBeenApplied ??
				'Check the Base URL in the Blocks API credential and the network between n8n and Blocks.',
			itemIndex,
		},
	);
	error.context.transient = true;
	return error;
}
