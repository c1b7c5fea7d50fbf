import type {
	IDataObject,
	IExecuteFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	CREDENTIAL_TYPE,
	RATE_LIMIT_DEFAULTS,
	type BlocksApiCredential,
} from '../../../credentials/BlocksApi.credentials';

import { clock } from '../time';
import {
	askedTooLongError,
	blocksApiError,
	heldBackError,
	notBlocksError,
	readFailure,
	stoppedError,
	unconfirmedError,
	unreachableError,
} from './errors';
import {
	decideRetry,
	parseRetryAfterMs,
	type Attempts,
	type Failure,
	type Outcome,
	type RetryPolicy,
} from './retryPolicy';
import { budgetFor, type BudgetSettings, type RateBudget } from './rateBudget';
import { apiUrl, BAD_BASE_URL, normaliseBaseUrl, type Query } from './urls';

export { apiPath } from './urls';

/** One request's time limit: a stalled connection must not hold a workflow. */
const REQUEST_TIMEOUT_MS = 30_000;

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
	/** Epoch ms by which the request must have ended: its time-out is cut to fit, within reason. */
	endBy?: number;
	/** Said in the error when a create or follow-up got no answer: what the user should check. */
	ifUnanswered?: string;
	/** Reuse a connection already read (a wait polls many times with one). */
	connection?: Connection;
}

/** Where requests go and the request budget they draw from: both follow the credential. */
export interface Connection {
	baseUrl: string;
	budget: RateBudget;
	/** The key's limit as the credential states it, quoted in errors. */
	limit: BudgetSettings;
}

/** The Blocks node and the Blocks Trigger call Blocks the same way, with the same budget. */
export type BlocksContext = IExecuteFunctions | IPollFunctions;

export async function connectionOf(context: BlocksContext): Promise<Connection> {
	const credential = await context.getCredentials<BlocksApiCredential>(CREDENTIAL_TYPE);
	const baseUrl = normaliseBaseUrl(credential.baseUrl);
	if (!baseUrl) throw new NodeOperationError(context.getNode(), BAD_BASE_URL);
	const limit: BudgetSettings = {
		requestsPerMinute: positiveOr(
			credential.requestsPerMinute,
			RATE_LIMIT_DEFAULTS.requestsPerMinute,
		),
		reservedShare:
			positiveOr(credential.reservedPercent, RATE_LIMIT_DEFAULTS.reservedPercent, true) / 100,
		processes: positiveOr(credential.processesSharingKey, RATE_LIMIT_DEFAULTS.processesSharingKey),
	};
	const budget = budgetFor(String(credential.apiKey ?? ''), baseUrl, limit);
	return { baseUrl, budget, limit };
}

function positiveOr(value: unknown, fallback: number, zeroAllowed = false): number {
	const number = Number(value);
	return Number.isFinite(number) && (number > 0 || (zeroAllowed && number === 0))
		? number
		: fallback;
}

/**
 * The node's one way to call Blocks: n8n adds the API key for the credential's origin, this adds
 * the key's rate budget, a time limit per request, cancellation, the retry policy
 * (retryPolicy.ts) and Blocks-specific errors. Each attempt: take a slot, send, classify what
 * came back, decide, then sleep and go again or throw.
 */
export async function blocksApiRequest(
	this: BlocksContext,
	request: BlocksRequest,
): Promise<IDataObject> {
	const connection = request.connection ?? (await connectionOf(this));
	const attempts: Attempts = { rateLimited: 0, failed: 0 };
	let rateLimitedSince: number | undefined;
	for (;;) {
		const answer = await attempt(this, request, connection);
		if (answer.kind === 'body') return answer.body;

		if (answer.kind === 'status' && answer.status === 429) {
			attempts.rateLimited++;
			rateLimitedSince ??= clock().now();
		} else {
			attempts.failed++;
		}
		const decision = decideRetry({
			policy: request.retry,
			outcome: answer,
			attempts,
			now: clock().now(),
			retryUntil: request.retryUntil,
			rateLimitedSince,
			keyWaitMs: connection.budget.expectedWaitMs(),
			random: clock().random,
		});
		if (!decision.retry) throw failureError(this, request, connection, decision.failure, answer);
		if (decision.afterMs > 0) await clock().sleep(decision.afterMs, request.signal);
	}
}

type Answer = (Outcome & { body?: unknown }) | { kind: 'body'; body: IDataObject };

/** One request through the key's budget; what came back, classified. */
async function attempt(
	context: BlocksContext,
	request: BlocksRequest,
	{ baseUrl, budget, limit }: Connection,
): Promise<Answer> {
	const slot = await budget.take(request.signal, {
		notAfter: request.retryUntil,
		send: request.method === 'POST',
	});
	if (!slot) throw heldBackError(context.getNode(), request.itemIndex, limit);

	let response: IN8nHttpFullResponse;
	try {
		response = (await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, {
			method: request.method,
			url: apiUrl(baseUrl, request.path, request.query),
			json: true,
			timeout: requestTimeoutMs(request.endBy),
			returnFullResponse: true,
			// Statuses are judged by the retry policy, where the error hints follow.
			ignoreHttpStatusErrors: true,
			// n8n 1.123 and 2.41 replace this with the execution's cancel signal (n8n-core's
			// httpRequestWithAuthentication): only a cancel cuts a request short. An item stopped
			// because another failed has its request finish (within the time-out), so a send's
			// answer is still taken and its turn named (actions/startedTurns.ts).
			abortSignal: request.signal,
			...(request.body ? { body: request.body } : {}),
		})) as IN8nHttpFullResponse;
	} catch (error) {
		if (request.signal.aborted) {
			// The request may have been written before the stop: a create or follow-up may stand.
			const write = request.method === 'POST' ? request : undefined;
			throw stoppedError(context.getNode(), request.itemIndex, write);
		}
		return { kind: 'network', reason: networkReason(error) };
	} finally {
		budget.answered(slot);
	}

	const { statusCode: status, body, headers } = response;
	const retryAfterMs = parseRetryAfterMs(headers?.['retry-after']);
	if (status === 429) {
		// The pause applies to the whole key: this request's next take() waits it out too.
		budget.rateLimited(retryAfterMs);
		return { kind: 'status', status, retryAfterMs };
	}
	budget.succeeded();
	if ((status === 404 || (status >= 200 && status < 300)) && isWebPage(body, headers)) {
		return { kind: 'notBlocks', status };
	}
	if (status >= 200 && status < 300) {
		return typeof body === 'object' && body !== null
			? { kind: 'body', body: body as IDataObject }
			: { kind: 'unreadable', status };
	}
	return { kind: 'status', status, retryAfterMs, body };
}

/**
 * An HTML answer where Blocks sends JSON. Only 2xx and 404 are judged: a 5xx page is a proxy's
 * passing error in front of Blocks, and is retried as one.
 */
function isWebPage(body: unknown, headers: IN8nHttpFullResponse['headers'] | undefined): boolean {
	const type = headers?.['content-type'];
	if (typeof type === 'string' && /^text\/html/i.test(type)) return true;
	return typeof body === 'string' && /^\s*</.test(body);
}

/** A second is the least a poll is given: less would fail even a healthy answer. */
const MIN_REQUEST_TIMEOUT_MS = 1_000;

function requestTimeoutMs(endBy: number | undefined): number {
	if (endBy === undefined) return REQUEST_TIMEOUT_MS;
	return Math.min(REQUEST_TIMEOUT_MS, Math.max(MIN_REQUEST_TIMEOUT_MS, endBy - clock().now()));
}

function failureError(
	context: BlocksContext,
	request: BlocksRequest,
	connection: Connection,
	failure: Failure,
	answer: Answer,
): Error {
	const node = context.getNode();
	switch (failure.kind) {
		case 'answered':
			return blocksApiError(
				node,
				readFailure(failure.status, answer.body),
				request.itemIndex,
				connection.limit,
			);
		case 'notBlocks':
			return notBlocksError(node, failure.status, request.itemIndex);
		case 'askedTooLong':
			return askedTooLongError(node, failure.status, failure.retryAfterMs, request.itemIndex);
		case 'mayHaveBeenApplied':
			return unconfirmedError(node, failure.reason, request.itemIndex, request.ifUnanswered);
		case 'unreachable':
			return unreachableError(node, failure.reason, request.itemIndex, failure.nothingSent);
	}
}

/**
 * A short, key-free reason for a failure without an HTTP answer (reset, time-out, DNS, TLS…):
 * Node's error code, which n8n's helper keeps as `httpCode` on the error it wraps it in.
 */
function networkReason(error: unknown): string {
	const seen = new Set<unknown>();
	for (let e = error as Record<string, unknown> | undefined; e && !seen.has(e);) {
		seen.add(e);
		for (const code of [e.code, e.httpCode]) {
			if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
		}
		e = e.cause as Record<string, unknown> | undefined;
	}
	return 'no response';
}
