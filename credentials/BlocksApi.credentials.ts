import type {
	IAuthenticateGeneric,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

/** A session ID no workspace has: looking it up creates nothing and costs one request. */
const NIL_SESSION_ID = '00000000-0000-0000-0000-000000000000';

/**
 * The API's answers that mean "this key was not accepted", each with what to tell the user.
 * The error body's shape is undocumented (docs/blocks-api.md §12, §14.2), so a refusal is
 * recognised by any of the evidence there is: the bare reason phrase under `error`, as Blocks'
 * own client reads it and its mock sends it (`{"error": "Unauthorized"}`), or a code under
 * `error.code` or at the top level, the two shapes that carry one.
 */
const REJECTIONS: Array<{ code: string; phrase: string; message: string }> = [
	{
		code: 'UNAUTHORIZED',
		phrase: 'Unauthorized',
		message:
			'Blocks did not accept the API key (401): it is missing, mistyped, expired or deleted. Enter the key again.',
	},
	{
		code: 'FORBIDDEN',
		phrase: 'Forbidden',
		message:
			'Blocks rejected the API key (403): it may be wrong, expired or deleted, or belong to another deployment than the Base URL.',
	},
	{
		code: 'RATE_LIMITED',
		phrase: 'Rate limit exceeded',
		message: 'Blocks rate limit reached (429): try again in a minute.',
	},
];

const rejectionRules: IAuthenticateRuleResponseSuccessBody[] = REJECTIONS.flatMap(
	({ code, phrase, message }) =>
		[
			{ key: 'error', value: phrase },
			{ key: 'error.code', value: code },
			{ key: 'code', value: code },
		].map((properties) => ({
			type: 'responseSuccessBody' as const,
			properties: { ...properties, message },
		})),
);

/** Said when the Base URL answers, but not as Blocks does; the node's transport says the same. */
export const NOT_BLOCKS_HINT =
	'Check the Base URL: it must be the API’s address (https://api.blocks.team for Blocks itself), not the dashboard’s or a proxy’s.';

const notBlocks = (what: string): string =>
	`This address answers with ${what}, not the Blocks API. ${NOT_BLOCKS_HINT}`;

/** The reason phrases a proxy or server puts in a JSON error body for a 5xx. */
const SERVER_ERROR_PHRASES = [
	'Internal Server Error',
	'Not Implemented',
	'Bad Gateway',
	'Service Unavailable',
	'Gateway Timeout',
];

/**
 * n8n's rules can only fail a test when a value in the body equals theirs (`undefined` for a
 * missing one), and the status is not among the values. So the answers that are not Blocks' are
 * told apart by their body: text (an HTML page, a proxy's plain error, an empty body), a 5xx
 * reason phrase, or JSON without the `error` field Blocks' answer carries (its own
 * client reads it, its mock sends it: docs/blocks-api.md §12). A JSON body with an `error` field
 * of another server still passes: see docs/reliability.md.
 */
const notBlocksRules: IAuthenticateRuleResponseSuccessBody[] = [
	// n8n reads a key with lodash's `get`, which walks a string too: a String constructor
	// means the body was text, not JSON.
	{ key: 'constructor.name', value: 'String', message: notBlocks('a web page or plain text') },
	{ key: 'constructor', value: undefined, message: notBlocks('an empty answer') },
	...SERVER_ERROR_PHRASES.map((phrase) => ({
		key: 'error',
		value: phrase,
		message: `This address answers with a server or proxy error (${phrase}), not Blocks’ answer. Blocks may be down, or a proxy in between cannot reach it. ${NOT_BLOCKS_HINT}`,
	})),
	{
		key: 'error',
		value: undefined,
		message: notBlocks('JSON that is not Blocks’ (no "error" field)'),
	},
].map((properties) => ({ type: 'responseSuccessBody' as const, properties }));

/**
 * Every path of the API starts here (docs/blocks-api.md §1). The credential owns it with the
 * Base URL: together they say where Blocks is, and the credential's own test needs it.
 */
export const API_PREFIX = '/rest/v1';

/** The credential's type name, as nodes and saved workflows refer to it. */
export const CREDENTIAL_TYPE = 'blocksApi';

/** Blocks' documented limit per key (docs/blocks-api.md §10) and the share left to others. */
export const RATE_LIMIT_DEFAULTS = {
	requestsPerMinute: 100,
	reservedPercent: 10,
	processesSharingKey: 1,
} as const;

/** The credential's data as a node reads it; every field may be missing in an old credential. */
export interface BlocksApiCredential {
	apiKey?: string;
	baseUrl?: string;
	requestsPerMinute?: number;
	reservedPercent?: number;
	processesSharingKey?: number;
}

/**
 * An API key of one Blocks workspace. The key is sent only as the `Authorization` header to
 * the origin of `baseUrl`; links the API hands back are rebased onto that origin before they
 * are followed (see nodes/Blocks/transport/urls.ts).
 */
export class BlocksApi implements ICredentialType {
	name = CREDENTIAL_TYPE;

	displayName = 'Blocks API';

	icon: Icon = { light: 'file:blocks.svg', dark: 'file:blocks.dark.svg' };

	documentationUrl = 'https://docs.blocks.team/rest-api/quick-start';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: `A key from the Blocks dashboard (Settings > API Keys). It belongs to one workspace and allows ${RATE_LIMIT_DEFAULTS.requestsPerMinute} requests per minute.`,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.blocks.team',
			required: true,
			description:
				'Where the Blocks API is served. Change it only to use another deployment or the local Blocks API emulator (for example http://127.0.0.1:4010).',
		},
		{
			displayName: 'Requests per Minute',
			name: 'requestsPerMinute',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: RATE_LIMIT_DEFAULTS.requestsPerMinute,
			description:
				'The rate limit of this key. Every Blocks node in this n8n shares it: they pace their requests to stay under it.',
		},
		{
			displayName: 'Reserved for Other Clients (%)',
			name: 'reservedPercent',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 90 },
			default: RATE_LIMIT_DEFAULTS.reservedPercent,
			description:
				'Share of the rate limit this n8n leaves unused, for scripts or other n8n instances using the same key',
		},
		{
			displayName: 'n8n Processes Sharing This Key',
			name: 'processesSharingKey',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: RATE_LIMIT_DEFAULTS.processesSharingKey,
			description:
				'How many n8n processes run Blocks nodes with this key: in queue mode, the number of workers (plus the main if it runs executions). Each process paces itself to its share of the limit. Left at 1, they still share it, but only after some 429 answers.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=ApiKey {{$credentials.apiKey}}',
			},
		},
	};

	/**
	 * The one request that proves a key without creating anything is a look-up of a session
	 * that cannot exist: an accepted key gets 404, a refused one 401 or 403 (docs/blocks-api.md §12).
	 *
	 * n8n (1.x and 2.x alike) fails a declarative test on every non-2xx status, and its
	 * `responseCode` rules can only change the failure's message, so a 404 could never read as
	 * accepted. Hence `ignoreHttpStatusErrors`: every answer reaches the `responseSuccessBody`
	 * rules, which fail the test on the body of a refusal, and on a body that is not Blocks'
	 * (notBlocksRules). An unreachable Base URL still fails, with the connection error's code
	 * (ECONNREFUSED, ENOTFOUND). Undocumented, so defensive: a live refusal whose body names
	 * none of these codes, or another server's JSON with an `error` field, would read as
	 * accepted; the first run of the node then fails with the status and its hint
	 * (docs/troubleshooting.md).
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl }}',
			url: `${API_PREFIX}/sessions/${NIL_SESSION_ID}`,
			method: 'GET',
			ignoreHttpStatusErrors: true,
		},
		// Refusals first: their bodies say what was refused, before the shape is judged.
		rules: [...rejectionRules, ...notBlocksRules],
	};
}
