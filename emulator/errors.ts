import { STATUS_CODES } from 'node:http';

import type { Reply } from './reply';

/**
 * The docs' "Code" column (docs/blocks-api.md §12) plus the statuses the docs leave out. The
 * default error body does not carry it (see ErrorShape); the `object` and `flat` shapes do.
 */
export type ErrorCode =
	| 'VALIDATION'
	| 'BAD_REQUEST'
	| 'NOT_FOUND'
	| 'UNAUTHORIZED'
	| 'FORBIDDEN'
	| 'RATE_LIMITED'
	| 'PAYLOAD_TOO_LARGE'
	| 'INTERNAL';

/** Thrown by handlers; the server turns it into an error response in the current error shape. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: ErrorCode,
		message: string,
		/** Sent with the error whatever its body shape, e.g. a 429's Retry-After. */
		readonly headers: Record<string, string> = {},
	) {
		super(message);
		this.name = 'ApiError';
	}
}

/** §3.1 / §12: the docs' 400 `VALIDATION` (body checks the docs list). */
export const validationError = (message: string) => new ApiError(400, 'VALIDATION', message);

/**
 * §12 / §14.3: 422 for query, id and body type checks the docs do not list. VALIDATION keeps the
 * code meaningful in the shapes that carry one, while the status tells the two apart.
 */
export const unprocessable = (message: string) => new ApiError(422, 'VALIDATION', message);

export const notFound = (message: string) => new ApiError(404, 'NOT_FOUND', message);

export const badRequest = (message: string) => new ApiError(400, 'BAD_REQUEST', message);

/** Used when a status fault is injected without a body, so the body still looks like an API error. */
export function errorForStatus(status: number): ApiError {
	const codes: Record<number, ErrorCode> = {
		400: 'BAD_REQUEST',
		401: 'UNAUTHORIZED',
		403: 'FORBIDDEN',
		404: 'NOT_FOUND',
		413: 'PAYLOAD_TOO_LARGE',
		422: 'VALIDATION',
		429: 'RATE_LIMITED',
	};
	return new ApiError(
		status,
		codes[status] ?? 'INTERNAL',
		STATUS_CODES[status] ?? `HTTP ${status}`,
	);
}

/**
 * §12 / §14.2: the error body is undocumented. `string`, `{"error": "..."}`, is the default: it is
 * what Blocks' own client reads and its mock sends, the best evidence there is for the live API.
 * The others are what a client must survive all the same, switched on by the `errorShape` fault
 * or the `errorShape` option: `object` `{"error": {"code", "message"}}`, `flat`
 * `{"code", "message"}`, `html` (a proxy's error page), `none` (an empty body).
 */
export type ErrorShape = 'string' | 'object' | 'flat' | 'html' | 'none';

export const DEFAULT_ERROR_SHAPE: ErrorShape = 'string';

/** The error as a response in the given shape, its headers kept. */
export function errorReply(error: ApiError, shape: ErrorShape): Reply {
	const reply = ((): Reply => {
		switch (shape) {
			case 'string':
				return { status: error.status, json: { error: error.message } };
			case 'object':
				return {
					status: error.status,
					json: { error: { code: error.code, message: error.message } },
				};
			case 'flat':
				return { status: error.status, json: { code: error.code, message: error.message } };
			case 'html':
				return htmlErrorPage(error.status);
			case 'none':
				return { status: error.status, text: '' };
		}
	})();
	return { ...reply, headers: error.headers };
}

/** What a reverse proxy in front of the API answers when it, not the API, fails. */
export function htmlErrorPage(status: number): Reply {
	const reason = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
	return {
		status,
		contentType: 'text/html; charset=utf-8',
		text: `<!DOCTYPE html>\n<html><head><title>${reason}</title></head><body><center><h1>${reason}</h1></center><hr><center>nginx</center></body></html>\n`,
	};
}
