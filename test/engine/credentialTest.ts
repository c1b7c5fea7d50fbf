import { ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { createRunExecutionData, NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { InMemoryCredentialsHelper } from './credentialsHelper';
import { NodeTypeRegistry } from './nodeTypes';

/** The result n8n's credential modal shows for a test that passed. */
export const CREDENTIAL_TEST_PASSED: INodeCredentialTestResult = {
	status: 'OK',
	message: 'Connection successful!',
};

const PROBE_TYPE = 'credentialProbe';

/**
 * Runs a credential type's declarative `test` the way n8n's credential modal does: the request
 * goes through n8n-core's RoutingNode (expressions resolved against the credential, the
 * credential's own `authenticate` rule applied, n8n's HTTP helper), and the answer is judged
 * by the test's rules as n8n judges them (packages/cli, CredentialsTester): a rule can only
 * turn an answer into a failure with its message; a failed request's status fails the test,
 * and a request that got no answer fails with the error's code.
 */
export async function runCredentialTest(
	type: ICredentialType,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const test = type.test;
	if (!test) throw new Error(`The credential type ${type.name} has no declarative test`);

	const probe: INodeType = {
		description: {
			displayName: 'Credential probe',
			name: PROBE_TYPE,
			group: ['transform'],
			version: 1,
			description: 'Sends the credential test request',
			defaults: { name: 'Probe' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: type.name, required: true }],
			properties: [
				{
					displayName: 'Probe',
					name: 'probe',
					type: 'string',
					default: '',
					routing: { request: test.request },
				},
			],
		},
	};
	const node: INode = {
		id: 'probe',
		name: 'Probe',
		type: PROBE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [type.name]: { id: '1', name: type.displayName } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new NodeTypeRegistry({ [PROBE_TYPE]: probe }),
	});
	const additionalData = {
		credentialsHelper: new InMemoryCredentialsHelper({ [type.name]: type }, { [type.name]: data }),
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const input = { main: [[{ json: {} }]] };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		input,
		{ node, data: input, source: null },
		[],
	);
	const credential = { id: '1', name: type.displayName, type: type.name, data };

	let output: INodeExecutionData[][] | undefined;
	try {
		output = await new RoutingNode(context, probe, credential).runNode();
	} catch (error) {
		return failedRequestVerdict(error, test.rules ?? []);
	}
	const body = output?.[0]?.[0]?.json;
	for (const rule of test.rules ?? []) {
		if (
			rule.type === 'responseSuccessBody' &&
			valueAt(body, rule.properties.key) === rule.properties.value
		) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return CREDENTIAL_TEST_PASSED;
}

type Rules = NonNullable<ICredentialType['test']>['rules'] & object;

function failedRequestVerdict(error: unknown, rules: Rules): INodeCredentialTestResult {
	const cause = (
		error as { cause?: { code?: string; response?: { status: number; statusText?: string } } }
	).cause;
	if (cause?.response) {
		const { status, statusText } = cause.response;
		for (const rule of rules) {
			if (rule.type === 'responseCode' && rule.properties.value === status) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
		return { status: 'Error', message: statusText || `Received HTTP status code: ${status}` };
	}
	if (cause?.code) return { status: 'Error', message: cause.code };
	return { status: 'Error', message: String((error as Error).message) };
}

/** A dotted path into a JSON value, as n8n reads a rule's `key`. */
function valueAt(value: unknown, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>(
			(node, key) =>
				node !== null && node !== undefined
					? (Object(node) as Record<string, unknown>)[key]
					: undefined,
			value,
		);
}
