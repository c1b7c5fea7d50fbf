/**
 * Every e2e scenario, in the order they run against each n8n version. To add one: a workflow
 * file (e2e/workflows/ for a test fixture, examples/ for a shipped example), a file here exporting
 * a Scenario that names it and checks its run, and its line below. Every example must have one.
 */
import type { AnyScenario } from '../scenario';
import type { ServerScenario } from '../serverScenario';
import { badApiKey } from './badApiKey';
import { conversation } from './conversation';
import { exampleArtifacts } from './exampleArtifacts';
import { exampleChatPost } from './exampleChatPost';
import { exampleContinueOnFail } from './exampleContinueOnFail';
import { exampleConversation } from './exampleConversation';
import { exampleFanOut } from './exampleFanOut';
import { exampleLongTask } from './exampleLongTask';
import { exampleNightlyReview } from './exampleNightlyReview';
import { exampleStreamProgress } from './exampleStreamProgress';
import { exampleTrigger } from './exampleTrigger';
import { exampleUntilDone } from './exampleUntilDone';
import { invalidSessionId } from './invalidSessionId';
import { timeLimitStillWorking } from './timeLimitStillWorking';
import { waitTimeout } from './waitTimeout';

export const SCENARIOS: AnyScenario[] = [
	conversation,
	waitTimeout,
	invalidSessionId,
	badApiKey,
	exampleConversation,
	exampleArtifacts,
	exampleChatPost,
	exampleNightlyReview,
	exampleUntilDone,
	exampleFanOut,
	exampleContinueOnFail,
];

/** Scenarios run in `n8n start` through a webhook (e2e/serverScenario.ts), after the ones above. */
export const SERVER_SCENARIOS: ServerScenario[] = [
	exampleLongTask,
	timeLimitStillWorking,
	exampleStreamProgress,
	exampleTrigger,
];

/**
 * The scenarios E2E_ONLY selects: a comma-separated list of workflow file names
 * (`stream-progress.workflow.json`, or `stream-progress` for short); all when it is unset.
 */
export function selectedScenarios<T extends { workflow: AnyScenario['workflow'] }>(list: T[]): T[] {
	const only = (process.env.E2E_ONLY ?? '')
		.split(',')
		.map((name) => name.trim().replace(/(\.workflow)?\.json$/, ''))
		.filter(Boolean);
	if (only.length === 0) return list;
	return list.filter((scenario) => {
		const file =
			'example' in scenario.workflow ? scenario.workflow.example : scenario.workflow.fixture;
		return only.includes(file.replace(/(\.workflow)?\.json$/, ''));
	});
}
