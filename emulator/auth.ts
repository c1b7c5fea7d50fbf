import { ApiError } from './errors';

/**
 * docs/blocks-api.md §1 and §12: `Authorization: ApiKey <key>` on every request. Missing or
 * malformed (a `Bearer` header included) → 401; a key the emulator does not hold → 403.
 * Returns the key, which the rate limit counts against.
 */
export function authenticate(header: string | undefined, apiKeys: ReadonlySet<string>): string {
	const match = /^ApiKey\s+(\S+)\s*$/i.exec(header ?? '');
	if (!match) {
		throw new ApiError(
			401,
			'UNAUTHORIZED',
			'Missing or malformed Authorization header; expected "ApiKey <key>"',
		);
	}
	if (!apiKeys.has(match[1])) throw new ApiError(403, 'FORBIDDEN', 'Invalid API key');
	return match[1];
}
