import { STATUS_CODES } from 'node:http';

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
	) {
		super(message);
		this.name = 'ApiError';
	}
}

/** §3.1 / §12: the docs' 400 `VALIDATION` (body checks the docs list). */
export const validationError = (message: string) => new ApiError(400, 'VALIDATION', message);

/**
 * §12 / §14.3: 422 for query/id/body type checks the docs do not list. The live body code is
 * unknown; VALIDATION keeps the code column meaningful while the status tells the two apart.
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
 * §12 / §14.2: the error body shape is undocumented, and clients must accept all of these.
 * `object` is the emulator's default; the others are switched on by the `errorShape` fault.
 */
export type ErrorShape = 'string' | 'object' | 'flat' | 'none';

/** The JSON value of an error body, or undefined for the empty-body shape. */
export function errorBody(shape: ErrorShape, error: ApiError): unknown {
	switch (shape) {
		case 'string':
			return { error: error.message };
		case 'object':
			return { error: { code: error.code, message: error.message } };
		case 'flat':
			return { code: error.code, message: error.message };
		case 'none':
			return undefined;
	}
}
