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
 * The error body is undocumented (docs/blocks-api.md §12, §14.2), so each refusal is looked for
 * in every shape that can carry it: its code under `error.code` or `code`, or its text as the
 * `error` string, which is what Blocks' own client reads. The texts are the ones Blocks' own
 * mock API sends (401 `Unauthorized`, 429 `Rate limit exceeded`) and the plain wordings of a
 * refused key.
 */
const REJECTIONS: Array<{ codes: string[]; texts: string[]; message: string }> = [
	{
		codes: ['UNAUTHORIZED'],
		texts: ['Unauthorized'],
		message: 'Blocks did not receive a valid API key (401). Enter the key again.',
	},
	{
		codes: ['FORBIDDEN'],
		texts: ['Forbidden', 'Invalid API key'],
		message:
			'Blocks rejected the API key (403): it may be wrong, expired or deleted, or belong to another deployment than the Base URL.',
	},
	{
		codes: ['RATE_LIMITED'],
		texts: ['Rate limit exceeded'],
		message: 'Blocks rate limit reached (429): try again in a minute.',
	},
];

const rule = (
	key: string,
	value: string,
	message: string,
): IAuthenticateRuleResponseSuccessBody => ({
	type: 'responseSuccessBody',
	properties: { key, value, message },
});

const rejectionRules = REJECTIONS.flatMap(({ codes, texts, message }) => [
	...codes.flatMap((code) => [rule('error.code', code, message), rule('code', code, message)]),
	...texts.map((text) => rule('error', text, message)),
]);

/**
 * Every path of the API starts here (docs/blocks-api.md §1). The credential owns it with the
 * Base URL: together they say where Blocks is, and the credential's own test needs it.
 */
export const API_PREFIX = '/rest/v1';

/** The credential's type name, as nodes and saved workflows refer to it. */
export const CREDENTIAL_TYPE = 'blocksApi';

/** Blocks' documented limit per key (docs/blocks-api.md §10) and the share left to others. */
export const RATE_LIMIT_DEFAULTS = { requestsPerMinute: 100, reservedPercent: 10 } as const;

/** The credential's data as a node reads it; every field may be missing in an old credential. */
export interface BlocksApiCredential {
	apiKey?: string;
	baseUrl?: string;
	requestsPerMinute?: number;
	reservedPercent?: number;
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
	 * that cannot exist: an accepted key gets 404, a refused one 401 or 403 (contract §12).
	 *
	 * n8n (1.x and 2.x alike) fails a declarative test on every non-2xx status, and its
	 * `responseCode` rules can only change the failure's message, so a 404 could never read as
	 * accepted. Hence `ignoreHttpStatusErrors`: every answer reaches the `responseSuccessBody`
	 * rules, which fail the test on the body of a refusal and let any other answer through.
	 * An unreachable Base URL still fails, with the connection error's code (ECONNREFUSED,
	 * ENOTFOUND). Undocumented, so defensive: a live refusal whose body carries none of these
	 * codes or texts would read as accepted; the first run of the node then fails with the
	 * 401/403 and its hint (README, Troubleshooting).
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl }}',
			url: `${API_PREFIX}/sessions/${NIL_SESSION_ID}`,
			method: 'GET',
			ignoreHttpStatusErrors: true,
		},
		rules: rejectionRules,
	};
}
