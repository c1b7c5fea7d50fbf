/**
 * What the AI Agent examples share in `n8n start`: a scripted model emulator
 * (test/e2e/modelEmulator.ts) behind an OpenAI credential of the scenario's own. The examples'
 * OpenAI Chat Model names one credential; the scenarios of one n8n version share one n8n and
 * each starts its own emulator, so each points its copy of the workflow at a credential ID of
 * its own (one shared ID would leave every scenario on the emulator imported last).
 */
import { startModelEmulator, type ModelEmulator } from '../modelEmulator';
import type { WorkflowJson } from '../../real-n8n/workflowFiles';
import type { ServerPrepared } from '../serverScenario';

const OPENAI = 'openAiApi';

export interface ScriptedModel {
	/** The scenario's `adapt` step: the workflow's OpenAI nodes on this scenario's credential. */
	useIn(workflow: WorkflowJson): WorkflowJson;
	/** The scenario's `prepare` step: the emulator started, and the credential pointing at it. */
	prepare(): Promise<ServerPrepared<ModelEmulator>>;
}

/** `credentialId`: 16 characters, as n8n's own IDs; distinct for every scenario. */
export function scriptedModel(credentialId: string): ScriptedModel {
	const credential = { id: credentialId, name: `OpenAI (${credentialId})` };
	return {
		useIn(workflow) {
			for (const node of workflow.nodes) {
				if (node.credentials?.[OPENAI]) node.credentials[OPENAI] = { ...credential };
			}
			return workflow;
		},
		async prepare() {
			const model = await startModelEmulator();
			return {
				credentials: [
					{
						...credential,
						type: OPENAI,
						data: { apiKey: 'sk-model-emulator', url: model.url },
					},
				],
				state: model,
				close: () => model.close(),
			};
		},
	};
}
