import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CancelledError } from '../wait/sleep';
import { clock } from './clock';
import { blocksApiError, blocksNetworkError, readFailure } from './errors';
import {
	backoffDelayMs,
	isRetryableServerError,
	MAX_ATTEMPTS,
	parseRetryAfterMs,
	type RetryPolicy,
} from './retryPolicy';
import { budgetFor, type RateBudget } from './rateBudget';
import { apiUrl, BAD_BASE_URL, normaliseBaseUrl, type Query } from './urls';

export { API_PREFIX } from './urls';
export type { RetryPolicy } from './retryPolicy';

export const CREDENTIAL_TYPE = 'blocksApi';

/** One request's time limit: a stalled connection must not hold a workflow. */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface BlocksRequest {
	method: 'GET' | 'POST';
	/** Path under the base URL, starting with `/rest/v1`. */
	path: string;
	query?: Query;
	body?: IDataObject;
	retry: RetryPolicy;
	itemIndex: number;
	signal: AbortSignal;
	/** Epoch ms after which no retry is started (a wait's own deadline). */
	retryUntil?: number;
	/** Said in the error when a create or follow-up got no answer: what the user should check. */
	ifUnanswered?: string;
	/** Reuse a connection already read (a wait polls many times with one). */
	connection?: Connection;
}

/** Where requests go and the request budget they draw from: both follow the credential. */
export interface Connection {
	baseUrl: string;
	budget: RateBudget;
}

interface BlocksCredential {
	apiKey?: string;
	baseUrl?: string;
	requestsPerMinute?: number;
	reservedPercent?: number;
	processesSharingKey?: number;
}

export async function connectionOf(context: IExecuteFunctions): Promise<Connection> {
	const credential = await context.getCredentials<BlocksCredential>(CREDENTIAL_TYPE);
	const baseUrl = normaliseBaseUrl(credential.baseUrl);
	if (!baseUrl) throw new NodeOperationError(context.getNode(), BAD_BASE_URL);
	const budget = budgetFor(String(credential.apiKey ?? ''), baseUrl, {
		requestsPerMinute: positiveOr(credential.requestsPerMinute, 100),
		reservedShare: positiveOr(credential.reservedPercent, 10, true) / 100,
		processes: positiveOr(credential.processesSharingKey, 1),
	});
	return { baseUrl, budget };
}

function positiveOr(value: unknown, fallback: number, zeroAllowed = false): number {
	const number = Number(value);
	return Number.isFinite(number) && (number > 0 || (zeroAllowed && number === 0))
		? number
		: fallback;
}

/**
 * The node's one way to call Blocks: n8n adds the API key for the credential's origin, this adds
 * the retry policy, a time limit per request, cancellation, and Blocks-specific errors.
 */
export async function blocksApiRequest(
	this: IExecuteFunctions,
	request: BlocksRequest,
): Promise<IDataObject> {
	const { baseUrl, budget } = request.connection ?? (await connectionOf(this));
	const options: IHttpRequestOptions = {
		method: request.method,
		url: apiUrl(baseUrl, request.path, request.query),
		json: true,
		timeout: REQUEST_TIMEOUT_MS,
		returnFullResponse: true,
		// Statuses are judged below, where the retry policy and the error hints live.
		ignoreHttpStatusErrors: true,
		abortSignal: request.signal,
		...(request.body ? { body: request.body } : {}),
	};

	let firstRateLimitedAt: number | undefined;
	for (let attempt = 0; ; attempt++) {
		const slot = await budget.take(request.signal, {
			notAfter: request.retryUntil,
			send: request.method === 'POST',
		});
		if (!slot) {
			throw blocksApiError(
				this.getNode(),
				{ status: 429, code: undefined, message: 'the key’s request budget had no slot in time' },
				request.itemIndex,
			);
		}
		let response: IN8nHttpFullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				options,
			)) as IN8nHttpFullResponse;
			budget.answered(slot);
		} catch (error) {
			budget.answered(slot);
			if (request.signal.aborted) {
				throw new NodeOperationError(this.getNode(), new CancelledError().message, {
					itemIndex: request.itemIndex,
				});
			}
			const reason = networkReason(error);
			if (request.retry === 'idempotent' && (await mayRetry(request, attempt, undefined))) continue;
			const neverSent = NEVER_SENT.has(reason);
			throw blocksNetworkError(
				this.getNode(),
				reason,
				request.itemIndex,
				neverSent ? undefined : request.ifUnanswered,
			);
		}

		const { statusCode: status, body } = response;
		if (status === 429) {
			// The pause applies to the whole key; this request's next take() waits it out.
			budget.rateLimited(parseRetryAfterMs(response.headers?.['retry-after']));
			firstRateLimitedAt ??= clock().now();
			if (mayRetryRateLimited(request, firstRateLimitedAt, budget)) continue;
		} else {
			budget.succeeded();
		}
		if (status >= 200 && status < 300) {
			if (typeof body === 'object' && body !== null) return body as IDataObject;
			// A 2xx whose body is not JSON (a proxy's page, a truncated answer): for a read, ask
			// again; for a write it was applied, so say so rather than guess.
			if (request.retry === 'idempotent' && (await mayRetry(request, attempt, undefined))) continue;
			throw blocksNetworkError(
				this.getNode(),
				`unreadable ${status} answer`,
				request.itemIndex,
				request.ifUnanswered,
			);
		}
		if (isRetryableServerError(status, request.retry)) {
			if (await mayRetry(request, attempt, parseRetryAfterMs(response.headers?.['retry-after']))) {
				continue;
			}
		}
		if (status >= 500 && request.ifUnanswered) {
			throw blocksNetworkError(
				this.getNode(),
				`server error ${status}`,
				request.itemIndex,
				request.ifUnanswered,
			);
		}
		throw blocksApiError(this.getNode(), readFailure(status, body), request.itemIndex);
	}
}

/** How long a request without a deadline of its own keeps trying through 429s. */
const RATE_LIMIT_PATIENCE_MS = 5 * 60_000;

/**
 * A 429 means Blocks did nothing, so any request may be sent again, creates included. A wait
 * keeps trying until its deadline, other requests for a few minutes: a busy key slows items
 * down rather than failing them.
 */
function mayRetryRateLimited(
	request: BlocksRequest,
	firstRateLimitedAt: number,
	budget: RateBudget,
): boolean {
	const giveUpAt = request.retryUntil ?? firstRateLimitedAt + RATE_LIMIT_PATIENCE_MS;
	return clock().now() + budget.expectedWaitMs() < giveUpAt;
}

/** Sleeps before the next attempt when another is allowed; says whether it is. */
async function mayRetry(
	request: BlocksRequest,
	attempt: number,
	retryAfterMs: number | undefined,
): Promise<boolean> {
	if (attempt + 1 >= MAX_ATTEMPTS) return false;
	const delay = retryAfterMs ?? backoffDelayMs(attempt, clock().random);
	if (request.retryUntil !== undefined && clock().now() + delay > request.retryUntil) return false;
	await clock().sleep(delay, request.signal);
	return true;
}

/** Failures before a connection existed: the request never reached Blocks. */
const NEVER_SENT = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
]);

/** A short, key-free reason for a failure without an HTTP answer (reset, time-out, DNS…). */
function networkReason(error: unknown): string {
	const seen = new Set<unknown>();
	for (let e = error as Record<string, unknown> | undefined; e && !seen.has(e);) {
		seen.add(e);
		if (typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code)) return e.code;
		e = e.cause as Record<string, unknown> | undefined;
	}
	return 'no response';
}
