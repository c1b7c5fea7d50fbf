/**
 * Every e2e scenario, in the order they run against each n8n version. To add one: a workflow
 * file (e2e/workflows/ for a test fixture, examples/ for a shipped example), a file here exporting
 * a Scenario that names it and checks its run, and its line below. Every example must have one.
 */
import type { Scenario } from '../scenario';
import { badApiKey } from './badApiKey';
import { conversation } from './conversation';
import { exampleArtifacts } from './exampleArtifacts';
import { exampleConversation } from './exampleConversation';
import { invalidSessionId } from './invalidSessionId';
import { waitTimeout } from './waitTimeout';

export const SCENARIOS: Scenario[] = [
	conversation,
	waitTimeout,
	invalidSessionId,
	badApiKey,
	exampleConversation,
	exampleArtifacts,
];
