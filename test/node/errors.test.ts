import { nodeError, nodeOutput, runNode } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';
import { onClock, VirtualClock } from '../support/virtualClock';

const api = useEmulator();
const UNKNOWN = '0f8fad5b-d9cb-469f-a165-70867728950e';
const get = (sessionId: string) => ({ resource: 'session', operation: 'get', sessionId });

describe('API errors', () => {
	test('a wrong key is a 403 NodeApiError that says so and is not retried', async () => {
		const run = await runNode(get(UNKNOWN), {
			credential: { ...api.credential, apiKey: 'blk_wrong' },
		});

		const error = nodeError(run, 'Blocks');
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '403' });
		expect(error?.message).toMatch(/Blocks rejected the API key/);
		expect(api.emulator.requests).toHaveLength(1);
	});

	test('a validation error carries the Blocks code and message, and is not retried', async () => {
		api.emulator.faults.add({
			fault: {
				kind: 'status',
				status: 422,
				body: '{"error":{"code":"VALIDATION","message":"limit is too large"}}',
			},
		});
		const run = await runNode(get(UNKNOWN), { credential: api.credential });

		const error = nodeError(run, 'Blocks');
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '422' });
		expect(error?.message).toBe('Blocks rejected the request (422 VALIDATION: limit is too large)');
		expect(api.emulator.requests).toHaveLength(1);
	});

	test.each([
		['{"error": "…"}', 'string'],
		['{"error": {"code", "message"}}', 'object'],
		['{"code", "message"}', 'flat'],
		['no body', 'none'],
	] as const)('reads an error body shaped %s', async (_name, shape) => {
		api.emulator.faults.add({ fault: { kind: 'errorShape', shape } });
		const run = await runNode(get(UNKNOWN), { credential: api.credential });

		const error = nodeError(run, 'Blocks');
		expect(error?.message).toMatch(/^Blocks has no such session or thread \(404/);
		if (shape !== 'none') expect(error?.message).toMatch(/not found/i);
	});

	test('rate limiting that outlasts five minutes of retries fails with the rate-limit hint', async () => {
		api.emulator.faults.add({ times: Infinity, fault: { kind: 'status', status: 429 } });
		// Five minutes of back-off, on a clock that jumps over them.
		const clock = new VirtualClock();
		const run = await onClock(clock, () => runNode(get(UNKNOWN), { credential: api.credential }));

		expect(nodeError(run, 'Blocks')?.description).toMatch(/100 requests per minute/);
		expect(api.emulator.requests.length).toBeGreaterThan(6);
		expect(api.emulator.requests.every((entry) => entry.status === 429)).toBe(true);
		// It kept trying for minutes, and gave up rather than try past the five.
		expect(clock.elapsed()).toBeGreaterThan(2 * 60_000);
		expect(clock.elapsed()).toBeLessThanOrEqual(5 * 60_000);
	});
});

describe('a Base URL that is a web page, not the API', () => {
	test.each([200, 404])(
		'a Get answered with an HTML %i fails at once, saying a web page answered',
		async (status) => {
			api.emulator.faults.add({ fault: { kind: 'html', status } });
			const run = await runNode(get(UNKNOWN), { credential: api.credential });

			const error = nodeError(run, 'Blocks');
			expect(error?.message).toBe(
				`This address answers with a web page, not the Blocks API (${status})`,
			);
			expect(error?.description).toMatch(/Check the Base URL/);
			expect(api.emulator.requests).toHaveLength(1);
		},
	);

	test('a Create answered with an HTML 200 says the same, not "may have been applied"', async () => {
		api.emulator.faults.add({ fault: { kind: 'html', status: 200 } });
		const run = await runNode(
			{ resource: 'session', operation: 'create', agentName: 'claude', message: 'Hi' },
			{ credential: api.credential },
		);

		expect(nodeError(run, 'Blocks')?.message).toMatch(
			/answers with a web page, not the Blocks API/,
		);
	});
});

describe('pauses Blocks asks for (Retry-After)', () => {
	test('a Get answered 503 with Retry-After: 3600 fails at once, quoting the hour', async () => {
		api.emulator.faults.add({
			fault: { kind: 'status', status: 503, headers: { 'Retry-After': '3600' } },
		});
		const clock = new VirtualClock();
		const run = await onClock(clock, () => runNode(get(UNKNOWN), { credential: api.credential }));

		const error = nodeError(run, 'Blocks');
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '503' });
		expect(error?.message).toMatch(
			/asked to wait 3600 s .*longer than the node waits for it \(120 s\)/,
		);
		expect(clock.elapsed()).toBeLessThan(1_000);
		expect(api.emulator.requests).toHaveLength(1);
	});

	test('a 429 asking for a day fails the item at once and pauses the key for two minutes at most', async () => {
		api.emulator.faults.add({
			fault: { kind: 'status', status: 429, headers: { 'Retry-After': '86400' } },
		});
		const clock = new VirtualClock();
		const run = await onClock(clock, async () => {
			const first = await runNode(get(UNKNOWN), { credential: api.credential });
			// The next request on the key waits out the capped pause, not the day.
			const second = await runNode(get(UNKNOWN), { credential: api.credential });
			return { first, second };
		});

		expect(nodeError(run.first, 'Blocks')?.message).toMatch(/429 and asked to wait 86400 s/);
		expect(nodeError(run.second, 'Blocks')?.message).toMatch(/^Blocks has no such session/);
		expect(clock.elapsed()).toBeGreaterThan(60_000);
		expect(clock.elapsed()).toBeLessThanOrEqual(2 * 60_000 + 1_000);
	});
});

describe('Continue On Fail', () => {
	test('a bad item becomes an error item and the other items still run, each paired', async () => {
		const run = await runNode(
			{
				resource: 'session',
				operation: 'create',
				agentName: 'claude',
				message: '={{ $json.message }}',
			},
			{
				credential: api.credential,
				input: [{ message: 'first' }, { message: '   ' }, { message: 'third' }],
				node: { onError: 'continueRegularOutput' },
			},
		);

		const items = nodeOutput(run, 'Blocks');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[1].json).toEqual({
			error: 'Message is empty (item 1)',
			description: 'Blocks needs a message to start a turn.',
		});
		expect(items[0].json.id).toBeDefined();
		expect(items[2].json.id).toBeDefined();
		expect(api.emulator.stats().sessionsCreated).toBe(2);
	});

	test('with "Continue (using error output)" a failed item goes to the error output, paired', async () => {
		const run = await runNode(
			{
				resource: 'session',
				operation: 'create',
				agentName: 'claude',
				message: '={{ $json.message }}',
			},
			{
				credential: api.credential,
				input: [{ message: 'first' }, { message: '   ' }],
				node: { onError: 'continueErrorOutput' },
			},
		);

		const succeeded = nodeOutput(run, 'Blocks', { output: 0 });
		const failed = nodeOutput(run, 'Blocks', { output: 1 });
		expect(succeeded.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(failed[0].json).toMatchObject({ error: 'Message is empty (item 1)' });
	});

	test('without it, the first failure stops the node and later items are not sent', async () => {
		const run = await runNode(
			{
				resource: 'session',
				operation: 'create',
				agentName: 'claude',
				message: '={{ $json.message }}',
			},
			{
				credential: api.credential,
				input: [{ message: 'first' }, { message: '' }, { message: 'third' }],
			},
		);

		expect(nodeError(run, 'Blocks')?.message).toBe('Message is empty (item 1)');
		expect(api.emulator.stats().sessionsCreated).toBe(1);
	});
});
