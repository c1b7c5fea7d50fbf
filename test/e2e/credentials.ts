/**
 * The Blocks API credentials the e2e run imports into n8n: its own (the run's key), one with a
 * wrong key, and every credential the scenarios' workflows name (the examples ship with one).
 */
import { blocksCredentialsOf, WorkflowJson } from '../real-n8n/workflowFiles';

export const E2E_CREDENTIAL = { id: 'e2eBlocksCred001', name: 'Blocks API (e2e)' };
const BAD_KEY_CREDENTIAL = { id: 'e2eBlocksBadKey1', name: 'Blocks API (wrong key)' };
export const WRONG_KEY = 'blk_wrong_key_for_e2e';

export interface CredentialImport {
	id: string;
	name: string;
	type: 'blocksApi';
	data: { apiKey: string; baseUrl: string };
}

/** Every credential to import: the wrong-key one gets WRONG_KEY, all others `apiKey`. */
export function credentialsToImport(
	workflows: WorkflowJson[],
	apiKey: string,
	baseUrl: string,
): CredentialImport[] {
	const named = blocksCredentialsOf(workflows).filter(
		(c) => c.id !== E2E_CREDENTIAL.id && c.id !== BAD_KEY_CREDENTIAL.id,
	);
	return [
		{ ...E2E_CREDENTIAL, type: 'blocksApi', data: { apiKey, baseUrl } },
		{ ...BAD_KEY_CREDENTIAL, type: 'blocksApi', data: { apiKey: WRONG_KEY, baseUrl } },
		...named.map((c) => ({ ...c, type: 'blocksApi' as const, data: { apiKey, baseUrl } })),
	];
}
