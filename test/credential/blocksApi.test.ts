import { CredentialTestContext } from 'n8n-core';

import { BlocksEmulator } from '../../emulator';
import { Blocks } from '../../nodes/Blocks/Blocks.node';
import { runNode } from '../support/blocksRun';
import { useEmulator } from '../support/emulatorFixture';

const api = useEmulator();

/** Runs the node's credential test the way n8n's credential modal does, with n8n-core's context. */
async function testCredential(data: { apiKey: string; baseUrl: string }) {
	const test = new Blocks().methods.credentialTest.blocksApiTest;
	return await test.call(new CredentialTestContext(), {
		id: '1',
		name: 'Blocks',
		type: 'blocksApi',
		data,
	});
}

describe('Blocks API credential test', () => {
	test('an accepted key passes, using one look-up that creates nothing', async () => {
		const result = await testCredential(api.credential);

		expect(result).toEqual({
			status: 'OK',
			message: 'Connection successful: Blocks accepted the API key',
		});
		expect(api.emulator.requests.map((entry) => [entry.method, entry.status])).toEqual([
			['GET', 404],
		]);
		expect(api.emulator.stats().sessionsCreated).toBe(0);
	});

	test('a wrong key fails with a message about the key', async () => {
		const result = await testCredential({ ...api.credential, apiKey: 'blk_wrong' });

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/rejected the API key \(403\)/);
	});

	test('an unreachable Base URL fails with a message about the URL', async () => {
		const gone = await BlocksEmulator.start();
		const url = gone.url;
		await gone.close();

		const result = await testCredential({ apiKey: 'blk_x', baseUrl: url });

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Could not reach .*Check the Base URL/);
	});

	test('a Base URL that is not http(s) fails before any request', async () => {
		const result = await testCredential({ apiKey: 'blk_x', baseUrl: 'ftp://api.blocks.team' });

		expect(result).toEqual({
			status: 'Error',
			message: expect.stringMatching(/Base URL is not a valid http\(s\) URL/),
		});
	});

	test('node requests carry the key as "Authorization: ApiKey <key>", by the credential’s own rule', async () => {
		await runNode(
			{ resource: 'session', operation: 'create', agentName: 'claude', message: 'hi' },
			{ credential: api.credential },
		);

		expect(api.emulator.requests[0].authorization).toBe(`ApiKey ${api.apiKey}`);
	});
});
