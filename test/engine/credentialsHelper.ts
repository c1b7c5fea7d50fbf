import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IHttpRequestOptions,
	INode,
	INodeProperties,
	IRequestOptionsSimplified,
	Workflow,
} from 'n8n-workflow';
import { ICredentialsHelper } from 'n8n-workflow';

/**
 * The credential store of a real n8n, minus the database and encryption: it hands nodes the
 * decrypted data of each credential type and applies the credential class's own `authenticate`
 * rule, resolving its expressions with n8n's expression engine as n8n itself does. That keeps
 * the credential class (not the test) responsible for the Authorization header.
 */
export class InMemoryCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly types: Record<string, ICredentialType>,
		private readonly data: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	async getDecrypted(_additionalData: unknown, _nodeCredentials: unknown, type: string) {
		const data = this.data[type];
		if (!data) throw new Error(`No credentials of type ${type} were given to the test engine`);
		return { ...data };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const rule = this.types[typeName]?.authenticate;
		const options = requestOptions as IHttpRequestOptions;
		if (typeof rule === 'function') return await rule(credentials, options);
		if (!rule || rule.type !== 'generic') return options;
		const resolve = (value: string) =>
			String(
				workflow.expression.getSimpleParameterValue(node, value, 'internal', {
					$credentials: credentials,
				}),
			);
		for (const [where, entries] of Object.entries(rule.properties)) {
			const target = ((options as unknown as Record<string, Record<string, string>>)[where] ??= {});
			for (const [key, value] of Object.entries(entries as Record<string, string>)) {
				target[resolve(key)] = resolve(value);
			}
		}
		return options;
	}

	getParentTypes(): string[] {
		return [];
	}

	async preAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('The test engine keeps no encrypted credentials');
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.types[type]?.properties ?? [];
	}
}
