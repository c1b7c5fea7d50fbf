/**
 * Every e2e scenario, in the order they run against each n8n version. To add one: a workflow
 * file (e2e/workflows/ for a test fixture, examples/ for a shipped example), a file here exporting
 * a Scenario that names it and checks its run, and its line below. Every example must have one.
 */
import type { AnyScenario } from '../scenario';
import { badApiKey } from './badApiKey';
import { conversation } from './conversation';
import { exampleArtifacts } from './exampleArtifacts';
import { exampleChatPost } from './exampleChatPost';
import { exampleContinueOnFail } from './exampleContinueOnFail';
import { exampleConversation } from './exampleConversation';
import { exampleFanOut } from './exampleFanOut';
import { exampleNightlyReview } from './exampleNightlyReview';
import { exampleUntilDone } from './exampleUntilDone';
import { invalidSessionId } from './invalidSessionId';
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
	// The long-task example (the Still Working output of Wait for Reply) lands here with the node
	// feature: examples/long-task-still-working.workflow.json and its exampleLongTask scenario.
];
