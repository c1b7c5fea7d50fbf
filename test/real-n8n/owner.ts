/** The instance owner of a fresh n8n: the account the editor's setup screen creates. */
import { httpRequest } from '../support/http';

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

/**
 * Creates the instance owner through the same REST call the setup screen makes
 * (`POST /rest/owner/setup`, open until an owner exists). Returns false when an owner exists already.
 */
export async function setUpOwner(baseUrl: string, owner: Owner): Promise<boolean> {
	const r = await httpRequest('POST', `${baseUrl}/rest/owner/setup`, { body: owner });
	if (r.status === 200) return true;
	if (r.status === 400 && /already/i.test(r.text)) return false;
	throw new Error(`owner setup answered ${r.status}: ${r.text.slice(0, 300)}`);
}
