import { LoggerProxy } from 'n8n-workflow';

import { BlocksEmulator, type ForeignHost } from '../../emulator';
import { blocksNode, chain, runBlocks } from '../support/blocksRun';

/**
 * The key goes to the credential's origin only: never to a host named in a link, never into
 * output items, error messages or descriptions, nor into anything n8n logs during the run.
 */
const KEY = 'blk_live_SECRET_4f1c9a7e2b';
let foreign: ForeignHost;
let emulator: BlocksEmulator;
const logged: string[] = [];

beforeAll(async () => {
	foreign = await BlocksEmulator.startForeignHost();
	// Every link the API hands back names the foreign host, as the live API has been seen to.
	emulator = await BlocksEmulator.start({ apiKeys: [KEY], linkBaseUrl: foreign.url });
	const record = (message: string, meta?: object) =>
		logged.push(`${message} ${JSON.stringify(meta ?? {})}`);
	LoggerProxy.init({ error: record, warn: record, info: record, debug: record } as never);
});
afterAll(async () => {
	await emulator.close();
	await foreign.close();
});

const everyOperation = chain(
	blocksNode('Create', {
		resource: 'session',
		operation: 'create',
		agentName: 'claude',
		message: 'go',
	}),
	blocksNode('Wait', { resource: 'session', operation: 'waitForReply' }),
	blocksNode('Follow Up', {
		resource: 'session',
		operation: 'sendMessage',
		sessionId: '={{ $json.session_id }}',
		message: 'more',
		waitForReply: true,
	}),
	blocksNode('Get', {
		resource: 'session',
		operation: 'get',
		sessionId: '={{ $json.session_id }}',
	}),
	blocksNode('List', {
		resource: 'message',
		operation: 'getAll',
		sessionId: '={{ $json.id }}',
		returnAll: true,
	}),
	blocksNode(
		'Fails',
		{ resource: 'session', operation: 'get', sessionId: '0f8fad5b-d9cb-469f-a165-70867728950e' },
		{ onError: 'continueRegularOutput' },
	),
);

test('no request with an Authorization header reaches a host named in a link', async () => {
	await runBlocks(everyOperation, { credential: { apiKey: KEY, baseUrl: emulator.url } });

	expect(emulator.requests.length).toBeGreaterThanOrEqual(6);
	expect(emulator.requests.every((entry) => entry.authorization === `ApiKey ${KEY}`)).toBe(true);
	expect(foreign.requests.filter((entry) => entry.authorization !== undefined)).toEqual([]);
	expect(foreign.requests).toHaveLength(0);
});

test.each([
	['a successful run of every operation', undefined],
	['a run whose requests are reset mid-way', { kind: 'resetAfter' } as const],
	['a run that gets HTML error pages', { kind: 'html', status: 502 } as const],
])('the key appears nowhere in the run data or logs of %s', async (_name, fault) => {
	emulator.reset();
	if (fault) emulator.faults.add({ times: Infinity, fault });
	logged.length = 0;

	const run = await runBlocks(everyOperation, {
		credential: { apiKey: KEY, baseUrl: emulator.url },
	});

	const everything = JSON.stringify(run.data, (_key, value: unknown) =>
		value instanceof Error ? { ...value, message: value.message, stack: value.stack } : value,
	);
	expect(everything.length).toBeGreaterThan(100);
	expect(everything).not.toContain(KEY);
	expect(logged.join('\n')).not.toContain(KEY);
});
