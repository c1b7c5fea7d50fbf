import { shutdownEngine } from '../../engine';
import { cancelUnfinishedRuns } from './blocksRun';

// Every test: cancel the workflow runs it left running (a failed test may leave a wait polling).
afterEach(async () => await cancelUnfinishedRuns());

// Every test file: stop what n8n-core started in this process, so Jest exits when tests end.
afterAll(() => shutdownEngine());
