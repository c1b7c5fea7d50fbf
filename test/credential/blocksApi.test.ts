import { BlocksApi } from '../../credentials/BlocksApi.credentials';
import { BlocksEmulator } from '../../emulator';
import { CREDENTIAL_TEST_PASSED, runCredentialTest } from '../engine';
import { runNode, type Credential } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';

const api = useEmulator();

/** The credential's own test, as n8n's credential modal runs it. */
async function testCredential(credential: Credential) {
	return await runCredentialTest(new BlocksApi(), { ...credential });
}

describe('Blocks API credential test', () => {
	test('an accepted key passes, using one look-up that creates nothing', async () => {
		const result = await testCredential(api.credential);

		expect(result).toEqual(CREDENTIAL_TEST_PASSED);
		expect(api.emulator.requests.map((entry) => [entry.method, entry.status])).toEqual([
			['GET', 404],
		]);
		expect(api.emulator.requests[0].authorization).toBe(`ApiKey ${api.apiKey}`);
		expect(api.emulator.stats().sessionsCreated).toBe(0);
	});

	test('a wrong key fails with a message about the key (403)', async () => {
		const result = await testCredential({ ...api.credential, apiKey: 'blk_wrong' });

		expect(result).toEqual({
			status: 'Error',
			message: expect.stringMatching(/^Blocks rejected the API key \(403\)/),
		});
		expect(api.emulator.stats().sessionsCreated).toBe(0);
	});

	test('a 401 as Blocks’ own mock API sends it fails with a message about the key', async () => {
		api.emulator.faults.add({
			fault: { kind: 'status', status: 401, body: '{"error":"Unauthorized"}' },
		});

		const result = await testCredential(api.credential);

		expect(result).toEqual({
			status: 'Error',
			message: expect.stringMatching(/^Blocks did not accept the API key \(401\)/),
		});
	});

	test('a key with a space in it never reaches Blocks as a key, and fails as such (401)', async () => {
		api.emulator.faults.add({ fault: { kind: 'errorShape', shape: 'object' } });

		const result = await testCredential({ ...api.credential, apiKey: 'two words' });

		expect(result.message).toMatch(/^Blocks did not accept the API key \(401\)/);
	});

	test.each(['string', 'object', 'flat'] as const)(
		'a rejected key is recognised in the %s error body shape',
		async (shape) => {
			api.emulator.faults.add({ fault: { kind: 'errorShape', shape } });

			const result = await testCredential({ ...api.credential, apiKey: 'blk_wrong' });

			expect(result.message).toMatch(/^Blocks rejected the API key \(403\)/);
		},
	);

	test('a 429 as Blocks’ own mock API sends it fails with a message about the rate limit', async () => {
		api.emulator.faults.add({
			fault: { kind: 'status', status: 429, body: '{"error":"Rate limit exceeded"}' },
		});

		const result = await testCredential(api.credential);

		expect(result.message).toMatch(/rate limit reached \(429\)/);
	});

	test('an unreachable Base URL fails with the connection error, not a key message', async () => {
		const gone = await BlocksEmulator.start();
		const url = gone.url;
		await gone.close();

		const result = await testCredential({ apiKey: 'blk_x', baseUrl: url });

		// n8n-core words it; n8n versions whose error keeps its cause show the code instead.
		expect(result).toEqual({
			status: 'Error',
			message: expect.stringMatching(/refused the connection|ECONNREFUSED/),
		});
	});

	test.each(['ftp://api.blocks.team', 'api.blocks.team'])(
		'a Base URL that is not an http(s) URL (%s) fails',
		async (baseUrl) => {
			const result = await testCredential({ apiKey: 'blk_x', baseUrl });

			expect(result.status).toBe('Error');
			expect(api.emulator.requests).toEqual([]);
		},
	);

	describe('an address that answers, but not as Blocks', () => {
		test.each([
			['a web page (HTML 200, a dashboard’s address)', { kind: 'html', status: 200 }, /web page/],
			['a proxy’s 502 page', { kind: 'html', status: 502 }, /web page/],
			[
				'a proxy’s 502 in JSON',
				{ kind: 'status', status: 502, body: '{"error":"Bad Gateway"}' },
				/server or proxy error \(Bad Gateway\)/,
			],
			[
				'a 503 in plain text',
				{ kind: 'status', status: 503, body: 'Service Unavailable' },
				/web page or plain text/,
			],
			[
				'a 200 JSON of another service',
				{ kind: 'status', status: 200, body: '{"status":"ok","version":"2.1"}' },
				/JSON that is not Blocks’/,
			],
			['an empty 200', { kind: 'status', status: 200, body: '' }, /web page or plain text|empty/],
			[
				'a JSON list of another service',
				{ kind: 'status', status: 200, body: '[{"id":1}]' },
				/JSON that is not Blocks’/,
			],
		] as const)('%s fails, saying what answered', async (_name, fault, message) => {
			api.emulator.faults.add({ fault });

			const result = await testCredential(api.credential);

			expect(result.status).toBe('Error');
			expect(result.message).toMatch(message);
			expect(result.message).toMatch(/Check the Base URL/);
		});

		test('Blocks’ answer in each error body shape still passes', async () => {
			for (const shape of ['string', 'object'] as const) {
				api.emulator.faults.add({ fault: { kind: 'errorShape', shape } });
				expect(await testCredential(api.credential)).toEqual(CREDENTIAL_TEST_PASSED);
			}
		});
	});

	test('a Base URL with a trailing slash works', async () => {
		const result = await testCredential({ ...api.credential, baseUrl: `${api.emulator.url}/` });

		expect(result).toEqual(CREDENTIAL_TEST_PASSED);
		expect(api.emulator.requests[0].path).toBe(
			'/rest/v1/sessions/00000000-0000-0000-0000-000000000000',
		);
	});

	test('node requests carry the key as "Authorization: ApiKey <key>", by the credential’s own rule', async () => {
		await runNode(
			{ resource: 'session', operation: 'create', agentName: 'claude', message: 'hi' },
			{ credential: api.credential },
		);

		expect(api.emulator.requests[0].authorization).toBe(`ApiKey ${api.apiKey}`);
	});
});
