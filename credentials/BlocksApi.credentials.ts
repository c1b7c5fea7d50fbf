import type {
	IAuthenticateGeneric,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE, RATE_LIMIT_DEFAULTS } from '../nodes/Blocks/transport/credential';
import { API_PREFIX } from '../nodes/Blocks/transport/urls';

/** A session ID no workspace has: looking it up creates nothing and costs one request. */
const NIL_SESSION_ID = '00000000-0000-0000-0000-000000000000';

/**
 * The API's answers that mean "this key was not accepted", each with what to tell the user.
 * The error body's shape is undocumented (docs/blocks-api.md §12, §14.2): the code is looked
 * for both under `error.code` and at the top level, the two shapes that carry one.
 */
const REJECTIONS: Array<{ code: string; message: string }> = [
	{
		code: 'UNAUTHORIZED',
		message: 'Blocks did not receive a valid API key (401). Enter the key again.',
	},
	{
		code: 'FORBIDDEN',
		message:
			'Blocks rejected the API key (403): it may be wrong, expired or deleted, or belong to another deployment than the Base URL.',
	},
	{ code: 'RATE_LIMITED', message: 'Blocks rate limit reached (429): try again in a minute.' },
];

const rejectionRules: IAuthenticateRuleResponseSuccessBody[] = REJECTIONS.flatMap(
	({ code, message }) =>
		['error.code', 'code'].map((key) => ({
			type: 'responseSuccessBody' as const,
			properties: { key, value: code, message },
		})),
);

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
	 * ENOTFOUND). Undocumented, so defensive: a live refusal whose body names none of these
	 * codes would read as accepted; the first run of the node then fails with the 401/403 and
	 * its hint (README, Troubleshooting).
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
