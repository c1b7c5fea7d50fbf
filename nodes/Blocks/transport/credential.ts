/**
 * The Blocks API credential as requests read it. The credential class
 * (credentials/BlocksApi.credentials.ts) takes its type name and defaults from here, so the node
 * and the credential agree, and transport depends on nothing outside nodes/.
 */

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
