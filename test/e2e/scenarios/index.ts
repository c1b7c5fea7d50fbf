/**
 * Every e2e scenario, in the order they run against each n8n version. To add one: a workflow
 * file (test/e2e/workflows/ for a test fixture, examples/ for a shipped example), a file here exporting
 * a Scenario that names it and checks its run, and its line below. Every example must have one.
 */
import type { AnyScenario } from '../scenario';
import type { AnyServerScenario } from '../serverScenario';
import { badApiKey } from './badApiKey';
import { exampleAiAgentTools } from './exampleAiAgentTools';
import { conversation } from './conversation';
import { exampleArtifacts } from './exampleArtifacts';
import { exampleChatPost } from './exampleChatPost';
import { exampleContinueOnFail } from './exampleContinueOnFail';
import { exampleConversation } from './exampleConversation';
import { exampleFanOut } from './exampleFanOut';
import { exampleHumanReview } from './exampleHumanReview';
import { exampleLongTask } from './exampleLongTask';
import { exampleMcpCodingAgents } from './exampleMcpCodingAgents';
import { exampleNightlyReview } from './exampleNightlyReview';
import { exampleReplyWithPr } from './exampleReplyWithPr';
import { exampleStreamProgress } from './exampleStreamProgress';
import { exampleTrigger } from './exampleTrigger';
import { exampleUntilDone } from './exampleUntilDone';
import { invalidSessionId } from './invalidSessionId';
import { laterAgentThreadCheck } from './laterAgentThreadCheck';
import { timeLimitLoop } from './timeLimitLoop';
import { timeLimitStillWorking } from './timeLimitStillWorking';
import { waitTimeout } from './waitTimeout';

export const SCENARIOS: AnyScenario[] = [
	conversation,
	waitTimeout,
	invalidSessionId,
	badApiKey,
	laterAgentThreadCheck,
	exampleConversation,
	exampleArtifacts,
	exampleChatPost,
	exampleNightlyReview,
	exampleUntilDone,
	exampleFanOut,
	exampleContinueOnFail,
	exampleReplyWithPr,
];

/** Scenarios run in `n8n start` through a webhook (test/e2e/serverScenario.ts), after the ones above. */
export const SERVER_SCENARIOS: AnyServerScenario[] = [
	exampleLongTask,
	timeLimitStillWorking,
	timeLimitLoop,
	exampleStreamProgress,
	exampleTrigger,
	exampleAiAgentTools,
	exampleMcpCodingAgents,
	exampleHumanReview,
];

/**
 * The scenarios E2E_ONLY selects: comma-separated parts of workflow file names
 * (e.g. `E2E_ONLY=long-task,wait-timeout`); all when unset. For working on a few scenarios.
 */
export function selectedScenarios<S extends { workflow: AnyScenario['workflow'] }>(all: S[]): S[] {
	const only = (process.env.E2E_ONLY ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	if (only.length === 0) return all;
	return all.filter((s) => {
		const file = 'example' in s.workflow ? s.workflow.example : s.workflow.fixture;
		return only.some((part) => file.includes(part));
	});
}
