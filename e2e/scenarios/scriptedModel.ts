/**
 * What the AI Agent examples share in `n8n start`: the scripted model emulator
 * (tooling/modelEmulator.ts) behind the OpenAI credential the examples name.
 */
import { startModelEmulator, type ModelEmulator } from '../../tooling/modelEmulator';
import type { ServerPrepared } from '../serverScenario';

/** The credential the examples' OpenAI Chat Model names, imported pointing at the emulator. */
const OPENAI_CREDENTIAL = { id: 'openAiLocalEmu01', name: 'OpenAI' };

/** Starts the model emulator and returns the OpenAI credential with its Base URL. */
export async function prepareScriptedModel(): Promise<ServerPrepared<ModelEmulator>> {
	const model = await startModelEmulator();
	return {
		credentials: [
			{
				...OPENAI_CREDENTIAL,
				type: 'openAiApi',
				data: { apiKey: 'sk-model-emulator', url: model.url },
			},
		],
		state: model,
		close: () => model.close(),
	};
}
