import { shutdownEngine } from '../engine';
import { realClock, replaceClock } from '../../nodes/Blocks/time';
import { cancelUnfinishedRuns } from './blocksRun';

// Every test: cancel the workflow runs it left running (a failed test may leave a wait polling),
// and put the real clock back (a test that timed out never reached its own restore).
afterEach(async () => {
	await cancelUnfinishedRuns();
	replaceClock(realClock);
});

// Every test file: stop what n8n-core started in this process, so Jest exits when tests end.
afterAll(() => shutdownEngine());
