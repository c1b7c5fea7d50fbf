/**
 * The credential's Test button, as the editor presses it (`POST /rest/credentials/test`), in a
 * running n8n against the emulator: an accepted key, a wrong key, a key that is no key, an
 * unreachable Base URL, and addresses that answer but not as Blocks (a web page, a proxy's 502,
 * another service's JSON) each get their own answer, and testing creates nothing.
 */
import type { BlocksEmulator, Fault } from '../../emulator';
import type { N8nRest } from '../real-n8n/rest';
import { freePort } from '../real-n8n/processes';
import { assert, assertEqual } from './checks';
import { E2E_CREDENTIAL, WRONG_KEY } from './credentials';

type Check = (name: string, fn: () => Promise<string | void> | string | void) => Promise<boolean>;

interface TestResult {
	status: 'OK' | 'Error';
	message: string;
}

export async function checkCredentialTest(
	rest: N8nRest,
	emulator: BlocksEmulator,
	apiKey: string,
	check: Check,
): Promise<void> {
	// n8n tests the data it is given, but only for a credential that exists (2.41 answers 403
	// otherwise): the imported e2e credential lends its id.
	const test = (data: { apiKey: string; baseUrl: string }) =>
		rest.call<TestResult>('POST', '/credentials/test', {
			credentials: { ...E2E_CREDENTIAL, type: 'blocksApi', data },
		});
	const sessionsBefore = emulator.stats().sessionsCreated;
	const requestsBefore = emulator.requests.length;

	await check('credential test: the emulator key reads as accepted', async () => {
		const result = await test({ apiKey, baseUrl: emulator.url });
		assertEqual(result.status, 'OK', `status (${result.message})`);
		return result.message;
	});
	let wrongKeyMessage = '';
	await check('credential test: a wrong key is rejected with the 403 message', async () => {
		const result = await test({ apiKey: WRONG_KEY, baseUrl: emulator.url });
		assertEqual(result.status, 'Error', 'status');
		assert(/^Blocks rejected the API key \(403\)/.test(result.message), result.message);
		wrongKeyMessage = result.message;
		return result.message;
	});
	await check('credential test: a key that is no key is refused with the 401 message', async () => {
		const result = await test({ apiKey: 'two words', baseUrl: emulator.url });
		assertEqual(result.status, 'Error', 'status');
		assert(/^Blocks did not accept the API key \(401\)/.test(result.message), result.message);
		return result.message;
	});
	await check('credential test: an unreachable Base URL gets a message of its own', async () => {
		const closed = `http://127.0.0.1:${await freePort()}`;
		const result = await test({ apiKey, baseUrl: closed });
		assertEqual(result.status, 'Error', 'status');
		assert(result.message && result.message !== wrongKeyMessage, `message: ${result.message}`);
		assert(!result.message.includes(apiKey), 'the message quotes the key');
		return result.message;
	});
	// Addresses that answer, but not as Blocks: each must fail, saying what answered.
	const NIL_SESSION = /^\/rest\/v1\/sessions\/0{8}-/;
	const notBlocks: Array<[string, Fault, RegExp]> = [
		['a web page (HTML 200)', { kind: 'html', status: 200 }, /web page/],
		['a proxy’s 502 page', { kind: 'html', status: 502 }, /web page/],
		[
			'a proxy’s 502 in JSON',
			{ kind: 'status', status: 502, body: '{"error":"Bad Gateway"}' },
			/server or proxy error \(Bad Gateway\)/,
		],
		[
			'a 200 JSON of another service',
			{ kind: 'status', status: 200, body: '{"status":"ok"}' },
			/JSON that is not Blocks’/,
		],
	];
	for (const [name, fault, message] of notBlocks) {
		await check(`credential test: ${name} fails, saying what answered`, async () => {
			emulator.faults.add({ match: { path: NIL_SESSION }, fault });
			const result = await test({ apiKey, baseUrl: emulator.url });
			assertEqual(result.status, 'Error', `status (${result.message})`);
			assert(message.test(result.message), result.message);
			return result.message;
		});
	}
	await check('credential test: testing created nothing and only looked sessions up', () => {
		assertEqual(emulator.stats().sessionsCreated, sessionsBefore, 'sessions created');
		const methods = emulator.requests.slice(requestsBefore).map((r) => `${r.method} ${r.status}`);
		assert(
			methods.length > 0 && methods.every((m) => m.startsWith('GET ')),
			`requests: ${methods.join(', ')}`,
		);
		return methods.join(', ');
	});
}
