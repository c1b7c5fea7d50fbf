import type { IAuthenticateGeneric, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * An API key of one Blocks workspace. The key is sent only as the `Authorization` header to
 * the origin of `baseUrl`; links the API hands back are rebased onto that origin before they
 * are followed (see nodes/Blocks/transport/urls.ts).
 *
 * The key is tested by the Blocks node (`testedBy: 'blocksApiTest'`): the only request that
 * proves a key without creating anything is a look-up of a session that cannot exist, which
 * answers 404 for an accepted key, and n8n's declarative credential tests count every
 * non-2xx answer as a failure.
 */
export class BlocksApi implements ICredentialType {
	name = 'blocksApi';

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
			description:
				'A key from the Blocks dashboard (Settings > API Keys). It belongs to one workspace and allows 100 requests per minute.',
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
			default: 100,
			description:
				'The rate limit of this key. Every Blocks node in this n8n shares it: they pace their requests to stay under it.',
		},
		{
			displayName: 'Reserved for Other Clients (%)',
			name: 'reservedPercent',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 90 },
			default: 10,
			description:
				'Share of the rate limit this n8n leaves unused, for scripts or other n8n instances using the same key',
		},
		{
			displayName: 'n8n Processes Sharing This Key',
			name: 'processesSharingKey',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1,
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
}
