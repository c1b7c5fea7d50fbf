import { UUID } from '../../nodes/Blocks/helpers/validation';
import { BlocksEmulator, DEFAULT_API_KEY } from '../../emulator';
import { callApi } from '../support/rawEmulator';
import { UNKNOWN_ID, useRawEmulator } from '../support/rawEmulator';

const raw = useRawEmulator();
const { api, createSession } = raw;

describe('artifacts (§3.6, §9)', () => {
	test('an artifact attached through artifact_ids can be read from the session', async () => {
		const artifactId = raw.emulator.addArtifact(undefined, {
			file_name: 'PLAN.md',
			content: '# Plan',
		});
		const session = (await createSession({ artifact_ids: [artifactId] })).body;
		const response = await api('GET', `/rest/v1/sessions/${session.id}/artifacts/${artifactId}`);
		expect(response.status).toBe(200);
		expect(response.body).toMatchObject({
			id: artifactId,
			url: expect.any(String),
			file_name: 'PLAN.md',
			file_path: expect.any(String),
			file_size_in_kb: expect.any(Number),
			mime_type: 'text/markdown',
			kind: 'plan',
			plan_id: expect.stringMatching(UUID),
		});
	});

	test('an artifact not attached to the session is 404', async () => {
		const session = (await createSession()).body;
		const elsewhere = raw.emulator.addArtifact();
		const response = await api('GET', `/rest/v1/sessions/${session.id}/artifacts/${elsewhere}`);
		expect(response.status).toBe(404);
	});

	test('an artifact attached by a follow-up is readable and listed in plan_artifact_ids', async () => {
		const session = (await createSession()).body;
		const plan = raw.emulator.addArtifact(undefined, { kind: 'plan' });
		const before = await api('GET', `/rest/v1/sessions/${session.id}/artifacts/${plan}`);
		await api('POST', `/rest/v1/sessions/${session.id}/messages`, {
			body: { message: 'use this plan', artifact_ids: [plan] },
		});
		const after = await api('GET', `/rest/v1/sessions/${session.id}/artifacts/${plan}`);
		expect([before.status, after.status]).toEqual([404, 200]);
		expect((await api('GET', `/rest/v1/sessions/${session.id}`)).body.plan_artifact_ids).toEqual([
			plan,
		]);
	});

	test('plan_artifact_ids lists the newest iteration of each plan, oldest plan first', async () => {
		const session = (await createSession()).body;
		const planA = '11111111-1111-4111-8111-111111111111';
		const planB = '22222222-2222-4222-8222-222222222222';
		raw.emulator.addArtifact(session.id, { plan_id: planA });
		const newestB = raw.emulator.addArtifact(session.id, { plan_id: planB });
		const newestA = raw.emulator.addArtifact(session.id, { plan_id: planA });
		raw.emulator.addArtifact(session.id, { kind: 'file', file_name: 'out.txt' });
		const response = await api('GET', `/rest/v1/sessions/${session.id}`);
		expect(response.body.plan_artifact_ids).toEqual([newestA, newestB]);
	});

	test('the presigned url is on a storage host of its own and serves the file without an API key', async () => {
		const session = (await createSession()).body;
		const artifactId = raw.emulator.addArtifact(session.id, {
			file_name: 'notes.md',
			content: '# The plan',
		});
		const { url } = (await api('GET', `/rest/v1/sessions/${session.id}/artifacts/${artifactId}`))
			.body;
		expect(new URL(url).origin).toBe(raw.emulator.storageUrl);
		expect(new URL(url).origin).not.toBe(raw.emulator.url);
		const download = await callApi(raw.emulator.url, 'GET', url, { apiKey: null });
		expect(download.status).toBe(200);
		expect(download.headers.get('content-type')).toBe('text/markdown');
		expect(download.text).toBe('# The plan');
		expect(raw.emulator.storageRequests).toEqual([
			expect.objectContaining({ method: 'GET', status: 200, authorization: undefined }),
		]);
	});

	test.each([
		['the API key as Authorization', { apiKey: DEFAULT_API_KEY }],
		['any Authorization header', { authorization: 'Bearer something' }],
		['the API key in another header', { apiKey: null, headers: { 'x-api-key': DEFAULT_API_KEY } }],
	] as const)('the storage host refuses a download carrying %s', async (_name, options) => {
		const session = (await createSession()).body;
		const artifactId = raw.emulator.addArtifact(session.id, { content: '# Secret plan' });
		const { url } = (await api('GET', `/rest/v1/sessions/${session.id}/artifacts/${artifactId}`))
			.body;
		const download = await callApi(raw.emulator.url, 'GET', url, options);
		expect(download.status).toBe(400);
		expect(download.text).not.toContain('Secret plan');
	});

	test('the storage host answers 403 without the signature and 404 for an unknown file', async () => {
		const session = (await createSession()).body;
		const artifactId = raw.emulator.addArtifact(session.id);
		const { url } = (await api('GET', `/rest/v1/sessions/${session.id}/artifacts/${artifactId}`))
			.body;
		const unsigned = new URL(url);
		unsigned.search = '';
		expect((await callApi(raw.emulator.url, 'GET', unsigned.href, { apiKey: null })).status).toBe(
			403,
		);
		const unknown = url.replace(artifactId, UNKNOWN_ID);
		expect((await callApi(raw.emulator.url, 'GET', unknown, { apiKey: null })).status).toBe(404);
	});

	test('downloads do not count against the API key’s rate limit or appear in the API’s log', async () => {
		const limited = await BlocksEmulator.start({ rateLimit: { limit: 2, windowMs: 60_000 } });
		try {
			const call = (path: string) =>
				callApi(limited.url, 'POST', path, {
					apiKey: limited.apiKey,
					body: { agent_name: 'claude', message: 'hi' },
				});
			const session = (await call('/rest/v1/sessions')).body;
			const artifactId = limited.addArtifact(session.id);
			const { url } = (
				await callApi(
					limited.url,
					'GET',
					`/rest/v1/sessions/${session.id}/artifacts/${artifactId}`,
					{
						apiKey: limited.apiKey,
					},
				)
			).body;
			for (let index = 0; index < 3; index += 1)
				expect((await callApi(limited.url, 'GET', url, { apiKey: null })).status).toBe(200);
			expect(limited.requests).toHaveLength(2);
			expect(limited.stats().rateLimited).toBe(0);
		} finally {
			await limited.close();
		}
	});
});
