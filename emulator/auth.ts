import { ApiError } from './errors';

/**
 * docs/blocks-api.md §1 and §12: `Authorization: ApiKey <key>` on every request. Missing or
 * malformed (a `Bearer` header included) → 401; a key the emulator does not hold → 403.
 * Returns the key, which the rate limit counts against. The texts are the bare reason phrases
 * Blocks' own mock answers with (`{"error": "Unauthorized"}`): the best evidence there is of
 * what the live API says, and what the credential's test recognises (§12, §14.4).
 */
export function authenticate(header: string | undefined, apiKeys: ReadonlySet<string>): string {
	const match = /^ApiKey\s+(\S+)\s*$/i.exec(header ?? '');
	if (!match) {
		throw new ApiError(401, 'UNAUTHORIZED', 'Unauthorized');
	}
	if (!apiKeys.has(match[1])) throw new ApiError(403, 'FORBIDDEN', 'Forbidden');
	return match[1];
}
