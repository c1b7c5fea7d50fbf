/**
 * End-to-end test: the packed package installed into real n8n releases (see versions.ts), driven
 * through n8n's own CLI against the Blocks API emulator, plus a headless-browser look at the editor.
 *
 *   npm run test:e2e
 *
 * Environment:
 *   N8N_E2E_CACHE        where n8n installs are cached (default ~/.cache/n8n-nodes-blocks)
 *   E2E_N8N              comma-separated n8n versions to run (default: all in versions.ts)
 *   E2E_SKIP_BROWSER=1   skip the editor checks
 *   E2E_KEEP=1           keep the temporary n8n user folders
 *   E2E_EXAMPLES_DIR     example workflows to run (default: examples/)
 *   CHROMIUM_PATH        Chromium binary (default /usr/bin/chromium)
 *
 * Prints one PASS/FAIL line per check and ends with "N passed, N failed"; exits 1 on any failure.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BlocksEmulator } from '../emulator';
import type { AgentScript, RequestLogEntry } from '../emulator';
import { E2E_OWNER, runBrowserCheck, setUpOwner } from './browserCheck';
import { Checks, assert, assertEqual } from './checks';
import { ensureN8n, N8nInstall } from './n8nInstall';
import { ExecuteResult, N8n, PACKAGE_NAME, RunJson, installTarball, packageDir } from './n8nCli';
import { elapsed, freePort, installExitHooks, run } from './proc';
import { N8N_TARGETS, N8nTarget } from './versions';
import { BLOCKS_NODE_TYPE, WorkflowJson, examples, fixture, isManuallyStartable, repoRoot, withCredential } from './workflowFiles';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Messages containing this get an agent that never finishes. */
const NEVER_REPLY = 'NEVER-REPLY';
const REPLY_DELAY_MS = 1200;
const WRONG_KEY = 'blk_wrong_key_for_e2e';
const CREDENTIAL = { id: 'e2eBlocksCred001', name: 'Blocks API (e2e)' };
const BAD_CREDENTIAL = { id: 'e2eBlocksBadKey1', name: 'Blocks API (wrong key)' };
const OVERALL_TIMEOUT_MIN = Number(process.env.E2E_TIMEOUT_MINUTES || 60);

const agent: AgentScript = (turn) =>
	turn.message.includes(NEVER_REPLY) ? { never: true } : { reply: `You said: ${turn.message}`, delayMs: REPLY_DELAY_MS };

type Json = Record<string, unknown>;

function slug(s: string): string {
	return s.replace(/[^a-zA-Z0-9.]+/g, '-').replace(/^-|-$/g, '');
}

/** The output items of one node's first run; fails when the node did not run or failed. */
function outputItems(json: RunJson | undefined, node: string): Array<{ json: Json; pairedItem?: unknown }> {
	assert(json, 'no run JSON in the output');
	const runs = json.data?.resultData?.runData?.[node];
	assert(runs && runs.length > 0, `node "${node}" did not run`);
	const first = runs[0];
	assert(!first.error, `node "${node}" failed: ${first.error?.message}`);
	return (first.data?.main?.[0] ?? []) as Array<{ json: Json; pairedItem?: unknown }>;
}

function onlyItem(json: RunJson | undefined, node: string): Json {
	const items = outputItems(json, node);
	assertEqual(items.length, 1, `items out of "${node}"`);
	return items[0].json;
}

function describeFailure(r: ExecuteResult): string {
	const err = r.json?.data?.resultData?.error;
	const tail = (r.run.stderr || r.run.stdout).trim().split('\n').slice(-8).join('\n');
	return `exit ${r.run.code}${r.run.timedOut ? ' (timed out)' : ''}${err ? `, error: ${err.message}` : ''}${r.parseError ? `, ${r.parseError}` : ''}\n${tail}`;
}

function assertSucceeded(r: ExecuteResult): void {
	assert(r.run.code === 0 && r.json?.status === 'success', `workflow did not succeed: ${describeFailure(r)}`);
}

function requestsWithKey(log: RequestLogEntry[], key: string, since: number): RequestLogEntry[] {
	return log.slice(since).filter((e) => e.authorization === `ApiKey ${key}`);
}

async function packPackage(checks: Checks, outDir: string): Promise<string | undefined> {
	let tarball: string | undefined;
	await checks.check('package: npm pack holds the built node, credential and icons', async () => {
		fs.rmSync(outDir, { recursive: true, force: true });
		fs.mkdirSync(outDir, { recursive: true });
		const env: NodeJS.ProcessEnv = {};
		for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
		const r = await run('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: repoRoot(), env, timeoutMs: 120_000 });
		assert(r.code === 0, `npm pack failed: ${r.stderr}`);
		const info = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
		const files = info[0].files.map((f) => f.path);
		const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as {
			n8n: { nodes: string[]; credentials: string[] };
			dependencies?: Record<string, string>;
		};
		// n8n installs community packages with their dependencies; this one must need none
		assert(Object.keys(pkg.dependencies ?? {}).length === 0, `runtime dependencies: ${Object.keys(pkg.dependencies ?? {}).join(', ')}`);
		for (const want of [...pkg.n8n.nodes, ...pkg.n8n.credentials, 'package.json']) {
			assert(files.includes(want), `${want} is not in the tarball`);
		}
		const icons = files.filter((f) => f.endsWith('.svg') || f.endsWith('.png'));
		assert(icons.some((f) => f.startsWith('dist/nodes/')), 'no node icon in the tarball');
		assert(!files.some((f) => f.startsWith('nodes/') || f.startsWith('e2e/') || f.startsWith('emulator/')), 'sources leaked into the tarball');
		tarball = path.join(outDir, info[0].filename);
		return `${info[0].filename}: ${files.length} files`;
	});
	return tarball;
}

interface VersionContext {
	checks: Checks;
	target: N8nTarget;
	install: N8nInstall;
	emulator: BlocksEmulator;
	apiKey: string;
	tarball: string;
	outDir: string;
}

async function testVersion(ctx: VersionContext): Promise<boolean> {
	const { checks, target, emulator, apiKey } = ctx;
	const p = `[${target.label}]`;
	const failedBefore = checks.failed;
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-blocks-e2e-${slug(target.n8nVersion)}-`));
	const logDir = path.join(ctx.outDir, 'logs', slug(target.label));
	fs.rmSync(logDir, { recursive: true, force: true });
	const n8n = new N8n(ctx.install, { userFolder, logDir });
	console.log(`\n=== ${target.label} on Node ${target.node === 'system' ? process.version.slice(1) : target.node} — user folder ${userFolder}, logs ${logDir}`);

	const installed = await checks.check(`${p} package installs as a community package (nodes/node_modules/${PACKAGE_NAME})`, async () => {
		const dir = await installTarball(ctx.tarball, userFolder);
		const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { n8n?: { nodes?: string[] } };
		for (const f of pkg.n8n?.nodes ?? []) assert(fs.existsSync(path.join(dir, f)), `${f} missing after install`);
		return path.relative(userFolder, packageDir(userFolder));
	});
	if (!installed) return false;

	const imported = await checks.check(`${p} n8n import:credentials (plain data, encrypted on import)`, async () => {
		const r = await n8n.importCredentials([
			{ ...CREDENTIAL, type: 'blocksApi', data: { apiKey, baseUrl: emulator.url } },
			{ ...BAD_CREDENTIAL, type: 'blocksApi', data: { apiKey: WRONG_KEY, baseUrl: emulator.url } },
		]);
		assert(r.code === 0, `exit ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')}`);
		assert(/imported 2 credentials/i.test(r.stdout + r.stderr), 'n8n did not report 2 imported credentials');
		const stored = fs.readFileSync(path.join(userFolder, '.n8n', 'database.sqlite')).toString('latin1');
		assert(!stored.includes(apiKey), 'the API key is stored in clear text');
		return 'stored encrypted';
	});

	const exampleFiles = examples();
	const workflows: WorkflowJson[] = [
		fixture('conversation.json'),
		fixture('wait-timeout.json'),
		fixture('invalid-session-id.json'),
		fixture('bad-api-key.json'),
		...exampleFiles.map((e) => withCredential(e.workflow, CREDENTIAL)),
	];
	const importedWf =
		imported &&
		(await checks.check(`${p} n8n import:workflow (${workflows.length} workflows, fixed ids)`, async () => {
			const r = await n8n.importWorkflows(workflows);
			assert(r.code === 0, `exit ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')}`);
			assert(new RegExp(`imported ${workflows.length} workflows`, 'i').test(r.stdout + r.stderr), 'n8n did not report every workflow imported');
			return workflows.map((w) => w.id).join(', ');
		}));
	if (!importedWf) return false;

	// (a) + (b): create, wait, follow-up, wait, follow-up with inline wait, get, list messages
	let sessionTitle = '';
	{
		const since = emulator.requests.length;
		const r = await n8n.execute('e2eConversation0');
		const ran = await checks.check(`${p} conversation workflow runs (n8n execute --id, exit 0)`, () => {
			assertSucceeded(r);
			return `${(r.run.ms / 1000).toFixed(1)} s including the n8n boot`;
		});
		if (ran) {
			const created = onlyItem(r.json, 'Create Session');
			await checks.check(`${p} Session > Create returns the session and its reply link`, () => {
				assert(typeof created.id === 'string' && UUID.test(created.id), `id is ${JSON.stringify(created.id)}`);
				const href = (created._links as { final_message?: { href?: string } } | undefined)?.final_message?.href;
				assert(typeof href === 'string' && href.startsWith(emulator.url), `_links.final_message.href is ${href}`);
				sessionTitle = String(created.title ?? '');
				return `session ${created.id}`;
			});
			await checks.check(`${p} Session > Wait for Reply (reply URL from the previous node) gets the first reply`, () => {
				const w = onlyItem(r.json, 'Wait for First Reply');
				assertEqual(w.status, 'replied', 'status');
				assertEqual(w.reply, 'You said: Hello from the n8n end-to-end test', 'reply');
				assertEqual(w.session_id, created.id, 'session_id');
				assertEqual(w.thread_id, created.thread_id, 'thread_id');
				assert(typeof w.polls === 'number' && w.polls >= 2, `polls ${w.polls}: the agent answers after ${REPLY_DELAY_MS} ms`);
				assert(typeof w.waited_ms === 'number' && w.waited_ms >= REPLY_DELAY_MS / 2, `waited_ms ${w.waited_ms}`);
				assert(w.final_message && typeof w.final_message === 'object', 'final_message missing');
				return `${w.polls} polls, ${w.waited_ms} ms`;
			});
			await checks.check(`${p} Session > Send Message + Wait for Reply gets the follow-up's reply on a new thread`, () => {
				const sent = onlyItem(r.json, 'Send Follow-up');
				assertEqual(sent.chat_id, created.id, 'chat_id');
				assert(sent.chat_thread_id && sent.chat_thread_id !== created.thread_id, 'the follow-up did not open a new thread');
				const w = onlyItem(r.json, 'Wait for Second Reply');
				assertEqual(w.status, 'replied', 'status');
				assertEqual(w.reply, 'You said: Second question from the end-to-end test', 'reply');
				assertEqual(w.thread_id, sent.chat_thread_id, 'thread_id');
				return `thread ${String(sent.chat_thread_id)}`;
			});
			await checks.check(`${p} Session > Send Message with "Wait for Reply" on outputs the reply`, () => {
				const w = onlyItem(r.json, 'Follow-up and Wait');
				assertEqual(w.status, 'replied', 'status');
				assertEqual(w.reply, 'You said: Third question, answered inline', 'reply');
				assertEqual(w.session_id, created.id, 'session_id');
				return `${w.polls} polls`;
			});
			await checks.check(`${p} Session > Get returns the session`, () => {
				const s = onlyItem(r.json, 'Get Session');
				assertEqual(s.id, created.id, 'id');
				assertEqual(emulator.followUpsFor(String(created.id)), 2, 'follow-ups the emulator received');
				return `${String(s.title)}`;
			});
			await checks.check(`${p} Message > Get Many (return all, role any) lists the whole conversation in order`, () => {
				const items = outputItems(r.json, 'Get All Messages').map((i) => i.json);
				assert(items.every((m) => m.chat_id === created.id), 'a message of another session was listed');
				const users = items.filter((m) => m.role === 'user').map((m) => m.message);
				const finals = items.filter((m) => m.type === 'final_message').map((m) => m.message);
				assertEqual(
					JSON.stringify(users),
					JSON.stringify(['Hello from the n8n end-to-end test', 'Second question from the end-to-end test', 'Third question, answered inline']),
					'user messages',
				);
				assertEqual(
					JSON.stringify(finals),
					JSON.stringify([
						'You said: Hello from the n8n end-to-end test',
						'You said: Second question from the end-to-end test',
						'You said: Third question, answered inline',
					]),
					'final messages',
				);
				return `${items.length} messages`;
			});
			await checks.check(`${p} Message > Get Many with limit 2 returns 2 agent messages`, () => {
				const items = outputItems(r.json, 'Get Two Replies').map((i) => i.json);
				assertEqual(items.length, 2, 'items');
				assert(items.every((m) => m.role === 'assistant'), 'default role filter should list only the agent');
				return 'ok';
			});
			await checks.check(`${p} every Blocks output item carries pairedItem`, () => {
				const runData = r.json?.data?.resultData?.runData ?? {};
				const nodes = fixture('conversation.json').nodes.filter((n) => n.type === BLOCKS_NODE_TYPE);
				for (const node of nodes) {
					const items = runData[node.name]?.[0]?.data?.main?.[0] ?? [];
					for (const item of items as Array<{ pairedItem?: unknown }>) {
						assert(item.pairedItem !== undefined, `an item of "${node.name}" has no pairedItem`);
					}
				}
				return `${nodes.length} nodes`;
			});
			await checks.check(`${p} requests reached the emulator with the credential's key`, () => {
				const mine = requestsWithKey(emulator.requests, apiKey, since);
				assert(mine.length > 0, 'no request carried the credential key');
				const other = emulator.requests.slice(since).filter((e) => e.authorization !== `ApiKey ${apiKey}`);
				assertEqual(other.length, 0, 'requests without the key');
				assert(mine.every((e) => e.status >= 200 && e.status < 300), 'a request was not answered 2xx');
				return `${mine.length} requests, all 2xx`;
			});
		}
	}

	// (c) a wait that runs out of time, with "On Timeout: Output Item"
	{
		const since = emulator.requests.length;
		const r = await n8n.execute('e2eWaitTimeout00');
		await checks.check(`${p} Wait for Reply times out with onTimeout=output (agent never finishes, max wait 3 s)`, () => {
			assertSucceeded(r);
			const created = onlyItem(r.json, 'Create Session');
			const w = onlyItem(r.json, 'Wait Briefly');
			assertEqual(w.status, 'timed_out', 'status');
			assertEqual(w.reply, null, 'reply');
			assertEqual(w.final_message, null, 'final_message');
			assertEqual(w.session_id, created.id, 'session_id');
			assert(typeof w.reply_url === 'string' && w.reply_url.includes(String(created.thread_id)), `reply_url ${w.reply_url}`);
			assert(typeof w.waited_ms === 'number' && w.waited_ms >= 2900 && w.waited_ms < 15_000, `waited_ms ${w.waited_ms}`);
			assert(typeof w.polls === 'number' && w.polls >= 3, `polls ${w.polls}`);
			const polls = requestsWithKey(emulator.requests, apiKey, since).filter(
				(e) => e.method === 'GET' && e.path.includes(`/threads/${String(created.thread_id)}/messages`),
			);
			assertEqual(polls.length, w.polls, 'poll requests the emulator saw');
			return `${w.polls} polls in ${w.waited_ms} ms`;
		});
	}

	// (d) an invalid session ID fails the node before any request, naming the field
	{
		const since = emulator.requests.length;
		const r = await n8n.execute('e2eBadSessionId0');
		await checks.check(`${p} invalid Session ID fails with a NodeOperationError naming the field (exit 1)`, () => {
			assertEqual(r.run.code, 1, 'exit code');
			const err = r.json?.data?.resultData?.error;
			assert(err, `no error in the run JSON: ${describeFailure(r)}`);
			assertEqual(err.name, 'NodeOperationError', 'error name');
			assert(/Session ID/.test(err.message ?? '') && /not-a-session-id/.test(err.message ?? ''), `message: ${err.message}`);
			assertEqual(err.node?.name, 'Get Session', 'failing node');
			assertEqual(requestsWithKey(emulator.requests, apiKey, since).length, 0, 'requests sent');
			return err.message ?? '';
		});
	}

	// (e) a wrong API key: the credential error, sent once, not retried
	{
		const since = emulator.requests.length;
		const r = await n8n.execute('e2eBadApiKey0000');
		await checks.check(`${p} wrong API key fails with the credential error (403, exit 1, not retried)`, () => {
			assertEqual(r.run.code, 1, 'exit code');
			const err = r.json?.data?.resultData?.error;
			assert(err, `no error in the run JSON: ${describeFailure(r)}`);
			assertEqual(err.name, 'NodeApiError', 'error name');
			assertEqual(String(err.httpCode), '403', 'httpCode');
			assert(/API key/i.test(err.message ?? ''), `message: ${err.message}`);
			assert(/credential/i.test(String(err.description ?? '')), `description: ${err.description}`);
			const sent = requestsWithKey(emulator.requests, WRONG_KEY, since);
			assertEqual(sent.length, 1, 'requests with the wrong key');
			assertEqual(sent[0].status, 403, 'emulator answer');
			assertEqual(emulator.requests.slice(since).length, 1, 'requests in total');
			return `${err.message} — ${err.description}`;
		});
	}

	// the repository's example workflows
	for (const ex of exampleFiles) {
		const name = `${p} example ${path.basename(ex.file)}`;
		if (!isManuallyStartable(ex.workflow)) {
			checks.pass(`${name} imports`, 'no Manual Trigger: imported only, not run');
			continue;
		}
		const r = await n8n.execute(String(ex.workflow.id));
		await checks.check(`${name} runs`, () => {
			assertSucceeded(r);
			const runData = r.json?.data?.resultData?.runData ?? {};
			const blocksNodes = ex.workflow.nodes.filter((n) => n.type === BLOCKS_NODE_TYPE && runData[n.name]);
			assert(blocksNodes.length > 0, 'no Blocks node ran');
			const waits: string[] = [];
			for (const node of blocksNodes) {
				for (const item of (runData[node.name][0].data?.main?.[0] ?? []) as Array<{ json: Json }>) {
					if ('polls' in item.json && 'status' in item.json) {
						assertEqual(item.json.status, 'replied', `status out of "${node.name}"`);
						waits.push(node.name);
					}
				}
			}
			return `${blocksNodes.length} Blocks nodes ran${waits.length ? `, replies in: ${waits.join(', ')}` : ''}`;
		});
	}

	// the editor in a browser
	if (target.browserCheck && process.env.E2E_SKIP_BROWSER !== '1') {
		const port = await freePort();
		let server: Awaited<ReturnType<N8n['startServer']>> | undefined;
		const started = await checks.check(`${p} n8n start serves /healthz/readiness`, async () => {
			server = await n8n.startServer(port);
			return server.url;
		});
		if (started && server) {
			const url = server.url;
			const owner = await checks.check(`${p} owner account created via POST /rest/owner/setup`, async () => {
				await setUpOwner(url, E2E_OWNER);
				return E2E_OWNER.email;
			});
			if (owner) {
				await runBrowserCheck({
					checks,
					prefix: `${p} editor`,
					baseUrl: url,
					owner: E2E_OWNER,
					workflowId: 'e2eConversation0',
					createNodeName: 'Create Session',
					listNodeName: 'Get Two Replies',
					credentialName: CREDENTIAL.name,
					expectedOutputText: sessionTitle || 'Hello from the n8n end-to-end test',
					sessionsCreated: () => emulator.stats().sessionsCreated,
					screenshotDir: path.join(ctx.outDir, 'screenshots'),
					screenshotPrefix: slug(target.label),
				});
			}
			const srv = server;
			await checks.check(`${p} n8n stops on SIGTERM`, async () => {
				const t0 = Date.now();
				await srv.stop();
				const exit = await srv.proc.exited;
				assert(exit.signal !== 'SIGKILL', 'n8n had to be killed');
				return `in ${elapsed(t0)}`;
			});
		}
	}

	const ok = checks.failed === failedBefore;
	if (ok && process.env.E2E_KEEP !== '1') fs.rmSync(userFolder, { recursive: true, force: true });
	else console.log(`${p} user folder kept: ${userFolder}`);
	return ok;
}

const checks = new Checks();

async function main(): Promise<number> {
	const t0 = Date.now();
	installExitHooks();
	const watchdog = setTimeout(() => {
		checks.fail('e2e', `still running after ${OVERALL_TIMEOUT_MIN} minutes (E2E_TIMEOUT_MINUTES); stopped`);
		console.log(checks.summaryLine());
		process.exit(1);
	}, OVERALL_TIMEOUT_MIN * 60_000);
	watchdog.unref();

	const outDir = path.join(repoRoot(), '.e2e');
	const only = (process.env.E2E_N8N ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	const targets = N8N_TARGETS.filter((t) => only.length === 0 || only.includes(t.n8nVersion));
	for (const t of N8N_TARGETS) {
		if (!targets.includes(t)) console.log(`NOTE ${t.label} not run: E2E_N8N=${process.env.E2E_N8N}`);
	}
	if (targets.length === 0) {
		checks.fail('e2e: n8n versions to run', `E2E_N8N=${process.env.E2E_N8N} matches none of ${N8N_TARGETS.map((t) => t.n8nVersion).join(', ')}`);
	}

	// installs take minutes when cold: start them all now, in the background
	const installs = new Map<N8nTarget, Promise<N8nInstall>>();
	for (const t of targets) {
		const promise = ensureN8n(t);
		promise.catch(() => undefined); // awaited (and reported) below
		installs.set(t, promise);
	}

	const tarball = await packPackage(checks, path.join(outDir, 'pack'));
	const apiKeys = new Map(targets.map((t) => [t, `blk_e2e_${slug(t.n8nVersion).replace(/\./g, '_')}`]));
	const emulator = await BlocksEmulator.start({ apiKeys: [...apiKeys.values()], agent });
	console.log(`Blocks API emulator at ${emulator.url}`);
	try {
		for (const target of targets) {
			let install: N8nInstall;
			try {
				install = await installs.get(target)!;
				checks.pass(`[${target.label}] installed (${install.dir})`);
			} catch (e) {
				checks.fail(`[${target.label}] install`, e instanceof Error ? e.message : String(e));
				continue;
			}
			if (!tarball) {
				checks.fail(`[${target.label}] tests`, 'no package tarball');
				continue;
			}
			try {
				await testVersion({ checks, target, install, emulator, apiKey: apiKeys.get(target)!, tarball, outDir });
			} catch (e) {
				checks.fail(`[${target.label}] tests`, e instanceof Error ? (e.stack ?? e.message) : String(e));
			}
		}
	} finally {
		await emulator.close();
	}
	console.log(`\nend-to-end finished in ${elapsed(t0)}; logs and screenshots in ${outDir}`);
	console.log(checks.summaryLine());
	return checks.failed === 0 && checks.passed > 0 ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(e: unknown) => {
		checks.fail('e2e', e instanceof Error ? (e.stack ?? e.message) : String(e));
		console.log(checks.summaryLine());
		process.exit(1);
	},
);
