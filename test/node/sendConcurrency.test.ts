import { waitUntil } from '../support/until';
import { nodeOutput, runNode } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';

const api = useEmulator();
const STALL_MS = 400;

/** Create Session whose Send Concurrency comes from each item's `concurrency`. */
const createWithConcurrencyFromItem = {
	resource: 'session',
	operation: 'create',
	agentName: 'claude',
	message: '={{ $json.task }}',
	options: { sendConcurrency: '={{ $json.concurrency }}' },
};
const creates = () => api.requestsTo('POST', /^\/rest\/v1\/sessions$/);

describe('Send Concurrency is one setting for the run, read from the first item', () => {
	test('the first item asks for 3: three creates are in flight at once', async () => {
		// Each answer is held long enough for all three sends to start, however busy the machine.
		api.emulator.faults.add({
			times: 3,
			match: { method: 'POST' },
			fault: { kind: 'stall', ms: 3_000 },
		});
		let mostInFlight = 0;
		const watching = waitUntil(
			() => {
				mostInFlight = Math.max(
					mostInFlight,
					creates().filter((entry) => entry.status === 0).length,
				);
				return creates().length === 3 && creates().every((entry) => entry.status !== 0);
			},
			{ timeoutMs: 20_000 },
		);

		const run = await runNode(createWithConcurrencyFromItem, {
			credential: api.credential,
			input: [
				{ task: 'a', concurrency: 3 },
				{ task: 'b', concurrency: 1 },
				{ task: 'c', concurrency: 1 },
			],
		});
		await watching;

		expect(nodeOutput(run, 'Blocks')).toHaveLength(3);
		expect(mostInFlight).toBe(3);
	});

	test('the first item asks for 1: each create starts after the one before was answered', async () => {
		api.emulator.faults.add({
			times: 3,
			match: { method: 'POST' },
			fault: { kind: 'stall', ms: STALL_MS },
		});

		const run = await runNode(createWithConcurrencyFromItem, {
			credential: api.credential,
			input: [
				{ task: 'a', concurrency: 1 },
				{ task: 'b', concurrency: 3 },
				{ task: 'c', concurrency: 3 },
			],
		});

		expect(nodeOutput(run, 'Blocks')).toHaveLength(3);
		const arrivals = creates().map((entry) => entry.receivedAt);
		expect(arrivals).toHaveLength(3);
		expect(arrivals[1] - arrivals[0]).toBeGreaterThanOrEqual(STALL_MS);
		expect(arrivals[2] - arrivals[1]).toBeGreaterThanOrEqual(STALL_MS);
	});
});
