import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { API_PREFIX } from '../transport';
import { apiUrl, BAD_BASE_URL, normaliseBaseUrl } from '../transport/urls';

/** A session ID no workspace has: looking it up creates nothing and costs one request. */
const NIL_SESSION = '00000000-0000-0000-0000-000000000000';

/**
 * Tells an accepted key from a rejected one. Blocks answers the look-up of a missing session
 * with 404 once the key is accepted, and with 401/403 before that (contract §12). n8n's
 * declarative credential tests treat every non-2xx answer as a failure, so this test is code,
 * and credential tests are only given n8n's `request` helper; the key goes only to the
 * credential's own Base URL.
 */
export async function blocksApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const { apiKey, baseUrl } = credential.data ?? {};
	if (typeof apiKey !== 'string' || !apiKey.trim()) {
		return { status: 'Error', message: 'Enter an API key' };
	}
	const base = normaliseBaseUrl(baseUrl);
	if (!base) return { status: 'Error', message: BAD_BASE_URL };
	const url = apiUrl(base, `${API_PREFIX}/sessions/${NIL_SESSION}`);

	let status: number | undefined;
	try {
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions -- credential tests get no other HTTP helper
		const response = (await this.helpers.request({
			method: 'GET',
			uri: url,
			headers: { Authorization: `ApiKey ${apiKey.trim()}` },
			json: true,
			simple: false,
			resolveWithFullResponse: true,
			timeout: 15_000,
		})) as { statusCode?: number };
		status = response.statusCode;
	} catch (error) {
		const failure = error as { statusCode?: number; response?: { status?: number }; code?: string };
		status = failure.statusCode ?? failure.response?.status;
		if (status === undefined) {
			return {
				status: 'Error',
				message: `Could not reach ${new URL(url).origin} (${failure.code ?? 'no response'}). Check the Base URL.`,
			};
		}
	}

	if (status === 404 || (status !== undefined && status >= 200 && status < 300)) {
		return { status: 'OK', message: 'Connection successful: Blocks accepted the API key' };
	}
	if (status === 401) {
		return {
			status: 'Error',
			message: 'Blocks did not receive a valid API key (401). Enter the key again.',
		};
	}
	if (status === 403) {
		return {
			status: 'Error',
			message:
				'Blocks rejected the API key (403): it may be wrong, expired or deleted, or belong to another deployment than the Base URL.',
		};
	}
	if (status === 429) {
		return { status: 'Error', message: 'Blocks rate limit reached (429): try again in a minute.' };
	}
	return { status: 'Error', message: `Blocks answered with HTTP ${status}. Check the Base URL.` };
}
