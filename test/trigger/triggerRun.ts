import type { IDataObject, INodeParameters, IRun } from 'n8n-workflow';

import { BlocksApi } from '../../credentials/BlocksApi.credentials';
import { ActivePollingWorkflow, runWorkflow, type PollOutcome, type WorkflowJson } from '../engine';
import { BlocksTrigger } from '../../nodes/Blocks/BlocksTrigger.node';
import { TRIGGER_NODE_TYPE } from '../../nodes/Blocks/identity';
import type { Credential } from '../support/blocksRun';

/** The test's credential, with the rate-limit fields when a test sets them. */
type TriggerCredential = Credential & { requestsPerMinute?: number; reservedPercent?: number };

export const TRIGGER_TYPE = TRIGGER_NODE_TYPE;
export const TRIGGER = 'Blocks Trigger';

/** A workflow with only the Blocks Trigger, as the editor saves it (n8n adds Poll Times). */
function triggerWorkflow(parameters: INodeParameters): WorkflowJson {
	return {
		id: 'trigger-test',
		nodes: [
			{
				id: 'trigger',
				name: TRIGGER,
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, ...parameters },
				credentials: { blocksApi: { id: '1', name: 'Blocks API' } },
			},
		],
		connections: {},
	};
}

const engineTypes = (credential: TriggerCredential) => ({
	nodeTypes: { [TRIGGER_TYPE]: new BlocksTrigger() },
	credentialTypes: { blocksApi: new BlocksApi() },
	credentials: { blocksApi: { ...credential } },
});

/** Activates the trigger's workflow through n8n-core, with static data saved earlier if given. */
export async function activateTrigger(
	parameters: INodeParameters,
	credential: TriggerCredential,
	saved?: IDataObject,
): Promise<{ active: ActivePollingWorkflow; first: PollOutcome }> {
	return await ActivePollingWorkflow.activate(
		{ workflow: triggerWorkflow(parameters), triggerNode: TRIGGER, ...engineTypes(credential) },
		saved,
	);
}

/** The editor's "Fetch Test Event": a manual run that starts at the trigger. */
export async function testTrigger(
	parameters: INodeParameters,
	credential: TriggerCredential,
): Promise<IRun> {
	return await runWorkflow({
		workflow: triggerWorkflow(parameters),
		startNode: TRIGGER,
		...engineTypes(credential),
	});
}

/** The `message` of each item a poll emitted. */
export function texts(outcome: PollOutcome): string[] | null {
	return outcome && outcome.map((item) => String(item.json.message));
}
