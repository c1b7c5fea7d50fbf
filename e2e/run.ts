/**
 * End-to-end test: the packed package installed into real n8n releases (see versions.ts), driven
 * through n8n's own CLI against the Blocks API emulator, plus a headless-browser look at the editor.
 *
 *   npm run test:e2e
 *
 * Phases (each announced by a "### phase" line): n8n installs (cached), npm pack, emulator, then per
 * n8n version: install the package, import, run workflows, run the examples, the editor in a browser.
 * A global deadline (E2E_TIMEOUT_MINUTES, default 20) stops everything: every child process group
 * (n8n, its task runners, npm) and the browser are killed and the run exits 1, naming the phase.
 *
 * Environment:
 *   E2E_TIMEOUT_MINUTES  global deadline in minutes (default 20)
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
import { UUID } from '../nodes/Blocks/helpers/validation';
import type { AgentScript, RequestLogEntry } from '../emulator';
import { E2E_OWNER, runBrowserCheck, setUpOwner } from './browserCheck';
import { Checks, assert, assertEqual } from './checks';
import { cacheRoot, ensureN8n, N8nInstall } from './n8nInstall';
import {
	ExecuteResult,
	N8n,
	PACKAGE_NAME,
	RunJson,
	foreignResolutions,
	installTarball,
	packageDir,
	readResolveLog,
	shadowingN8nWorkflow,
} from './n8nCli';
import { elapsed, freePort, installExitHooks, killAll, run } from './proc';
import { N8N_TARGETS, N8nTarget } from './versions';
import {
	BLOCKS_NODE_TYPE,
	WorkflowJson,
	blocksCredentialsOf,
	examples,
	fixture,
	isManuallyStartable,
	repoRoot,
	withCredential,
} from './workflowFiles';

/** Messages containing this get an agent that never finishes. */
const NEVER_REPLY = 'NEVER-REPLY';
const REPLY_DELAY_MS = 1200;
const WRONG_KEY = 'blk_wrong_key_for_e2e';
const CREDENTIAL = { id: 'e2eBlocksCred001', name: 'Blocks API (e2e)' };
const BAD_CREDENTIAL = { id: 'e2eBlocksBadKey1', name: 'Blocks API (wrong key)' };
const OVERALL_TIMEOUT_MIN = Number(process.env.E2E_TIMEOUT_MINUTES || 20);
/**
 * Replies the example workflows expect, by file: the Blocks nodes whose output must be the agent's
 * reply to the message sent on that thread (the agent below echoes it).
 */
const EXAMPLE_REPLIES: Record<string, string[]> = {
	'conversation.workflow.json': ['Wait for Reply', 'Wait for Follow-up Reply'],
};

/** Every turn the agent was asked to answer: thread id -> the message sent. */
const turnsByThread = new Map<string, string>();
const agent: AgentScript = (turn) => {
	turnsByThread.set(turn.threadId, turn.message);
	return turn.message.includes(NEVER_REPLY)
		? { never: true }
		: { reply: `You said: ${turn.message}`, delayMs: REPLY_DELAY_MS };
};

const t0 = Date.now();
let currentPhase = 'start';
/** Temporary n8n user folders of this run, removed when the run is cut short (E2E_KEEP=1 keeps them). */
const userFolders = new Set<string>();

function removeUserFolders(): void {
	if (process.env.E2E_KEEP === '1') return;
	for (const dir of userFolders) fs.rmSync(dir, { recursive: true, force: true });
}
/** Announces a phase of the run; the deadline message names the last one. */
function phase(name: string): void {
	currentPhase = name;
	console.log(`\n### phase: ${name} (at ${elapsed(t0)})`);
}

type Json = Record<string, unknown>;

function slug(s: string): string {
	return s.replace(/[^a-zA-Z0-9.]+/g, '-').replace(/^-|-$/g, '');
}

/** The output items of one node's first run; fails when the node did not run or failed. */
function outputItems(
	json: RunJson | undefined,
	node: string,
): Array<{ json: Json; pairedItem?: unknown }> {
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
	assert(
		r.run.code === 0 && r.json?.status === 'success',
		`workflow did not succeed: ${describeFailure(r)}`,
	);
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
		const r = await run('npm', ['pack', '--json', '--pack-destination', outDir], {
			cwd: repoRoot(),
			env,
			timeoutMs: 120_000,
		});
		assert(r.code === 0, `npm pack failed: ${r.stderr}`);
		const info = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<{
			filename: string;
			files: Array<{ path: string }>;
		}>;
		const files = info[0].files.map((f) => f.path);
		const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as {
			n8n: { nodes: string[]; credentials: string[] };
			dependencies?: Record<string, string>;
		};
		// n8n installs community packages with their dependencies; this one must need none
		assert(
			Object.keys(pkg.dependencies ?? {}).length === 0,
			`runtime dependencies: ${Object.keys(pkg.dependencies ?? {}).join(', ')}`,
		);
		for (const want of [...pkg.n8n.nodes, ...pkg.n8n.credentials, 'package.json']) {
			assert(files.includes(want), `${want} is not in the tarball`);
		}
		const icons = files.filter((f) => f.endsWith('.svg') || f.endsWith('.png'));
		assert(
			icons.some((f) => f.startsWith('dist/nodes/')),
			'no node icon in the tarball',
		);
		assert(
			!files.some(
				(f) => f.startsWith('nodes/') || f.startsWith('e2e/') || f.startsWith('emulator/'),
			),
			'sources leaked into the tarball',
		);
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
	const userFolder = fs.mkdtempSync(
		path.join(os.tmpdir(), `n8n-blocks-e2e-${slug(target.n8nVersion)}-`),
	);
	userFolders.add(userFolder);
	const logDir = path.join(ctx.outDir, 'logs', slug(target.label));
	fs.rmSync(logDir, { recursive: true, force: true });
	fs.mkdirSync(logDir, { recursive: true });
	const resolveLog = path.join(logDir, 'n8n-workflow-resolution.log');
	const n8n = new N8n(ctx.install, { userFolder, logDir, resolveLog });
	phase(`${target.label}: install the package, import credentials and workflows`);
	console.log(
		`=== ${target.label} on Node ${target.node === 'system' ? process.version.slice(1) : target.node} — user folder ${userFolder}, logs ${logDir}`,
	);

	const installed = await checks.check(
		`${p} package installs as a community package (nodes/node_modules/${PACKAGE_NAME})`,
		async () => {
			const dir = await installTarball(ctx.tarball, userFolder);
			const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
				n8n?: { nodes?: string[] };
			};
			for (const f of pkg.n8n?.nodes ?? [])
				assert(fs.existsSync(path.join(dir, f)), `${f} missing after install`);
			assert(
				!fs.existsSync(path.join(dir, 'node_modules')),
				'the installed package has a node_modules folder',
			);
			const shadows = shadowingN8nWorkflow(dir);
			assert(
				shadows.length === 0,
				`n8n-workflow would load from ${shadows.join(', ')} before n8n's own`,
			);
			return path.relative(userFolder, packageDir(userFolder));
		},
	);
	if (!installed) return false;

	// the examples run as shipped: their credential references get credentials of their own
	const exampleFiles = examples();
	const exampleCredentials = blocksCredentialsOf(exampleFiles.map((e) => e.workflow)).filter(
		(c) => c.id !== CREDENTIAL.id && c.id !== BAD_CREDENTIAL.id,
	);
	const credentials = [
		{ ...CREDENTIAL, type: 'blocksApi', data: { apiKey, baseUrl: emulator.url } },
		{ ...BAD_CREDENTIAL, type: 'blocksApi', data: { apiKey: WRONG_KEY, baseUrl: emulator.url } },
		...exampleCredentials.map((c) => ({
			...c,
			type: 'blocksApi',
			data: { apiKey, baseUrl: emulator.url },
		})),
	];
	const imported = await checks.check(
		`${p} n8n import:credentials (plain data, encrypted on import)`,
		async () => {
			const r = await n8n.importCredentials(credentials);
			assert(
				r.code === 0,
				`exit ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')}`,
			);
			assert(
				new RegExp(`imported ${credentials.length} credentials`, 'i').test(r.stdout + r.stderr),
				`n8n did not report ${credentials.length} imported credentials`,
			);
			const stored = fs
				.readFileSync(path.join(userFolder, '.n8n', 'database.sqlite'))
				.toString('latin1');
			assert(!stored.includes(apiKey), 'the API key is stored in clear text');
			return `${credentials.map((c) => `"${c.name}"`).join(', ')}; stored encrypted`;
		},
	);

	const workflows: WorkflowJson[] = [
		fixture('conversation.json'),
		fixture('wait-timeout.json'),
		fixture('invalid-session-id.json'),
		fixture('bad-api-key.json'),
		// as shipped, unless a Blocks node names no credential id (then the test's credential)
		...exampleFiles.map((e) =>
			e.workflow.nodes.some((n) => n.type === BLOCKS_NODE_TYPE && !n.credentials?.blocksApi?.id)
				? withCredential(e.workflow, CREDENTIAL)
				: e.workflow,
		),
	];
	const importedWf =
		imported &&
		(await checks.check(
			`${p} n8n import:workflow (${workflows.length} workflows, fixed ids)`,
			async () => {
				const r = await n8n.importWorkflows(workflows);
				assert(
					r.code === 0,
					`exit ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')}`,
				);
				assert(
					new RegExp(`imported ${workflows.length} workflows`, 'i').test(r.stdout + r.stderr),
					'n8n did not report every workflow imported',
				);
				return workflows.map((w) => w.id).join(', ');
			},
		));
	if (!importedWf) return false;

	// (a) + (b): create, wait, follow-up, wait, follow-up with inline wait, get, list messages
	phase(`${target.label}: run the test workflows (n8n execute)`);
	let sessionTitle = '';
	{
		const since = emulator.requests.length;
		const r = await n8n.execute('e2eConversation0');
		const ran = await checks.check(
			`${p} conversation workflow runs (n8n execute --id, exit 0)`,
			() => {
				assertSucceeded(r);
				return `${(r.run.ms / 1000).toFixed(1)} s including the n8n boot`;
			},
		);
		if (ran) {
			const created = onlyItem(r.json, 'Create Session');
			await checks.check(`${p} Session > Create returns the session and its reply link`, () => {
				assert(
					typeof created.id === 'string' && UUID.test(created.id),
					`id is ${JSON.stringify(created.id)}`,
				);
				const href = (created._links as { final_message?: { href?: string } } | undefined)
					?.final_message?.href;
				assert(
					typeof href === 'string' && href.startsWith(emulator.url),
					`_links.final_message.href is ${href}`,
				);
				sessionTitle = String(created.title ?? '');
				return `session ${created.id}`;
			});
			await checks.check(
				`${p} Session > Wait for Reply (reply URL from the previous node) gets the first reply`,
				() => {
					const w = onlyItem(r.json, 'Wait for First Reply');
					assertEqual(w.status, 'replied', 'status');
					assertEqual(w.reply, 'You said: Hello from the n8n end-to-end test', 'reply');
					assertEqual(w.session_id, created.id, 'session_id');
					assertEqual(w.thread_id, created.thread_id, 'thread_id');
					assert(
						typeof w.polls === 'number' && w.polls >= 2,
						`polls ${w.polls}: the agent answers after ${REPLY_DELAY_MS} ms`,
					);
					assert(
						typeof w.waited_ms === 'number' && w.waited_ms >= REPLY_DELAY_MS / 2,
						`waited_ms ${w.waited_ms}`,
					);
					assert(w.final_message && typeof w.final_message === 'object', 'final_message missing');
					return `${w.polls} polls, ${w.waited_ms} ms`;
				},
			);
			await checks.check(
				`${p} Session > Send Message + Wait for Reply gets the follow-up's reply on a new thread`,
				() => {
					const sent = onlyItem(r.json, 'Send Follow-up');
					assertEqual(sent.chat_id, created.id, 'chat_id');
					assert(
						sent.chat_thread_id && sent.chat_thread_id !== created.thread_id,
						'the follow-up did not open a new thread',
					);
					const w = onlyItem(r.json, 'Wait for Second Reply');
					assertEqual(w.status, 'replied', 'status');
					assertEqual(w.reply, 'You said: Second question from the end-to-end test', 'reply');
					assertEqual(w.thread_id, sent.chat_thread_id, 'thread_id');
					return `thread ${String(sent.chat_thread_id)}`;
				},
			);
			await checks.check(
				`${p} Session > Send Message with "Wait for Reply" on outputs the reply`,
				() => {
					const w = onlyItem(r.json, 'Follow-up and Wait');
					assertEqual(w.status, 'replied', 'status');
					assertEqual(w.reply, 'You said: Third question, answered inline', 'reply');
					assertEqual(w.session_id, created.id, 'session_id');
					return `${w.polls} polls`;
				},
			);
			await checks.check(`${p} Session > Get returns the session`, () => {
				const s = onlyItem(r.json, 'Get Session');
				assertEqual(s.id, created.id, 'id');
				assertEqual(
					emulator.followUpsFor(String(created.id)),
					2,
					'follow-ups the emulator received',
				);
				return `${String(s.title)}`;
			});
			await checks.check(
				`${p} Message > Get Many (return all, role any) lists the whole conversation in order`,
				() => {
					const items = outputItems(r.json, 'Get All Messages').map((i) => i.json);
					assert(
						items.every((m) => m.chat_id === created.id),
						'a message of another session was listed',
					);
					const users = items.filter((m) => m.role === 'user').map((m) => m.message);
					const finals = items.filter((m) => m.type === 'final_message').map((m) => m.message);
					assertEqual(
						JSON.stringify(users),
						JSON.stringify([
							'Hello from the n8n end-to-end test',
							'Second question from the end-to-end test',
							'Third question, answered inline',
						]),
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
				},
			);
			await checks.check(`${p} Message > Get Many with limit 2 returns 2 agent messages`, () => {
				const items = outputItems(r.json, 'Get Two Replies').map((i) => i.json);
				assertEqual(items.length, 2, 'items');
				assert(
					items.every((m) => m.role === 'assistant'),
					'default role filter should list only the agent',
				);
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
				const other = emulator.requests
					.slice(since)
					.filter((e) => e.authorization !== `ApiKey ${apiKey}`);
				assertEqual(other.length, 0, 'requests without the key');
				assert(
					mine.every((e) => e.status >= 200 && e.status < 300),
					'a request was not answered 2xx',
				);
				return `${mine.length} requests, all 2xx`;
			});
		}
	}

	await checks.check(
		`${p} the package loads n8n's own n8n-workflow inside n8n (require.resolve, recorded by a preload probe)`,
		() => {
			const seen = readResolveLog(resolveLog);
			assert(
				seen.length > 0,
				`no require('n8n-workflow') from the package was recorded in ${resolveLog}`,
			);
			const foreign = foreignResolutions(seen, ctx.install);
			assert(
				foreign.length === 0,
				`resolved outside ${ctx.install.dir}: ${[...new Set(foreign.map((r) => `${r.resolved} (from ${r.from})`))].join(', ')}`,
			);
			return [...new Set(seen.map((r) => path.relative(ctx.install.dir, r.resolved)))].join(', ');
		},
	);

	// (c) a wait that runs out of time, with "On Timeout: Output Item"
	{
		const since = emulator.requests.length;
		const r = await n8n.execute('e2eWaitTimeout00');
		await checks.check(
			`${p} Wait for Reply times out with onTimeout=output (agent never finishes, max wait 3 s)`,
			() => {
				assertSucceeded(r);
				const created = onlyItem(r.json, 'Create Session');
				const w = onlyItem(r.json, 'Wait Briefly');
				assertEqual(w.status, 'timed_out', 'status');
				assertEqual(w.reply, null, 'reply');
				assertEqual(w.final_message, null, 'final_message');
				assertEqual(w.session_id, created.id, 'session_id');
				assert(
					typeof w.reply_url === 'string' && w.reply_url.includes(String(created.thread_id)),
					`reply_url ${w.reply_url}`,
				);
				assert(
					typeof w.waited_ms === 'number' && w.waited_ms >= 2900 && w.waited_ms < 15_000,
					`waited_ms ${w.waited_ms}`,
				);
				assert(typeof w.polls === 'number' && w.polls >= 3, `polls ${w.polls}`);
				const polls = requestsWithKey(emulator.requests, apiKey, since).filter(
					(e) =>
						e.method === 'GET' && e.path.includes(`/threads/${String(created.thread_id)}/messages`),
				);
				assertEqual(polls.length, w.polls, 'poll requests the emulator saw');
				return `${w.polls} polls in ${w.waited_ms} ms`;
			},
		);
	}

	// (d) an invalid session ID fails the node before any request, naming the field
	{
		const since = emulator.requests.length;
		const r = await n8n.execute('e2eBadSessionId0');
		await checks.check(
			`${p} invalid Session ID fails with a NodeOperationError naming the field (exit 1)`,
			() => {
				assertEqual(r.run.code, 1, 'exit code');
				const err = r.json?.data?.resultData?.error;
				assert(err, `no error in the run JSON: ${describeFailure(r)}`);
				assertEqual(err.name, 'NodeOperationError', 'error name');
				assert(
					/Session ID/.test(err.message ?? '') && /not-a-session-id/.test(err.message ?? ''),
					`message: ${err.message}`,
				);
				assertEqual(err.node?.name, 'Get Session', 'failing node');
				assertEqual(requestsWithKey(emulator.requests, apiKey, since).length, 0, 'requests sent');
				return err.message ?? '';
			},
		);
	}

	// (e) a wrong API key: the credential error, sent once, not retried
	{
		const since = emulator.requests.length;
		const r = await n8n.execute('e2eBadApiKey0000');
		await checks.check(
			`${p} wrong API key fails with the credential error (403, exit 1, not retried)`,
			() => {
				assertEqual(r.run.code, 1, 'exit code');
				const err = r.json?.data?.resultData?.error;
				assert(err, `no error in the run JSON: ${describeFailure(r)}`);
				assertEqual(err.name, 'NodeApiError', 'error name');
				assertEqual(String(err.httpCode), '403', 'httpCode');
				assert(/API key/i.test(err.message ?? ''), `message: ${err.message}`);
				assert(
					/credential/i.test(String(err.description ?? '')),
					`description: ${err.description}`,
				);
				const sent = requestsWithKey(emulator.requests, WRONG_KEY, since);
				assertEqual(sent.length, 1, 'requests with the wrong key');
				assertEqual(sent[0].status, 403, 'emulator answer');
				assertEqual(emulator.requests.slice(since).length, 1, 'requests in total');
				return `${err.message} — ${err.description}`;
			},
		);
	}

	// the repository's example workflows
	if (exampleFiles.length)
		phase(
			`${target.label}: run the examples (${exampleFiles.map((e) => path.basename(e.file)).join(', ')})`,
		);
	for (const ex of exampleFiles) {
		const name = `${p} example ${path.basename(ex.file)}`;
		if (!isManuallyStartable(ex.workflow)) {
			checks.pass(`${name} imports`, 'no Manual Trigger: imported only, not run');
			continue;
		}
		const since = emulator.requests.length;
		const r = await n8n.execute(String(ex.workflow.id));
		const ran = await checks.check(`${name} runs`, () => {
			assertSucceeded(r);
			const runData = r.json?.data?.resultData?.runData ?? {};
			const blocksNodes = ex.workflow.nodes.filter(
				(n) => n.type === BLOCKS_NODE_TYPE && runData[n.name],
			);
			const notRun = ex.workflow.nodes.filter(
				(n) => n.type === BLOCKS_NODE_TYPE && !runData[n.name],
			);
			assert(blocksNodes.length > 0, 'no Blocks node ran');
			assert(
				notRun.length === 0,
				`Blocks nodes that did not run: ${notRun.map((n) => n.name).join(', ')}`,
			);
			assert(
				requestsWithKey(emulator.requests, apiKey, since).length > 0,
				"no request reached the emulator with the credential's key",
			);
			return `${blocksNodes.length} Blocks nodes ran, ${(r.run.ms / 1000).toFixed(1)} s including the n8n boot`;
		});
		if (!ran) continue;
		// every wait in the example ends with the agent's reply to the message sent on its thread
		const expected = EXAMPLE_REPLIES[path.basename(ex.file)] ?? [];
		const runData = r.json?.data?.resultData?.runData ?? {};
		const waits = ex.workflow.nodes.filter(
			(n) =>
				n.type === BLOCKS_NODE_TYPE &&
				((runData[n.name]?.[0]?.data?.main?.[0] ?? []) as Array<{ json: Json }>).some(
					(i) => 'polls' in i.json,
				),
		);
		for (const node of new Set([...expected, ...waits.map((n) => n.name)])) {
			await checks.check(`${name}: "${node}" outputs the agent's reply`, () => {
				const w = onlyItem(r.json, node);
				assertEqual(w.status, 'replied', 'status');
				const sent = turnsByThread.get(String(w.thread_id));
				assert(sent !== undefined, `the agent got no message on thread ${String(w.thread_id)}`);
				assertEqual(w.reply, `You said: ${sent}`, 'reply');
				return `"${String(w.reply)}" (${String(w.polls)} polls, ${String(w.waited_ms)} ms)`;
			});
		}
		if (expected.length > 1) {
			await checks.check(`${name}: the replies come from one session, on separate threads`, () => {
				const outs = expected.map((n) => onlyItem(r.json, n));
				assert(
					new Set(outs.map((o) => o.session_id)).size === 1,
					`sessions: ${outs.map((o) => String(o.session_id)).join(', ')}`,
				);
				assertEqual(new Set(outs.map((o) => o.thread_id)).size, outs.length, 'distinct threads');
				return `session ${String(outs[0].session_id)}`;
			});
		}
	}

	// the editor in a browser
	if (target.browserCheck && process.env.E2E_SKIP_BROWSER !== '1') {
		phase(`${target.label}: the editor in headless Chromium (n8n start)`);
		const port = await freePort();
		let server: Awaited<ReturnType<N8n['startServer']>> | undefined;
		const started = await checks.check(`${p} n8n start serves /healthz/readiness`, async () => {
			server = await n8n.startServer(port);
			return server.url;
		});
		if (started && server) {
			const url = server.url;
			const owner = await checks.check(
				`${p} owner account created via POST /rest/owner/setup`,
				async () => {
					await setUpOwner(url, E2E_OWNER);
					return E2E_OWNER.email;
				},
			);
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
	userFolders.delete(userFolder);
	return ok;
}

const checks = new Checks();

/** Ends the run at the deadline, whatever it is waiting for: every child group and the browser die with it. */
function armDeadline(): void {
	const minutes = OVERALL_TIMEOUT_MIN;
	if (!Number.isFinite(minutes) || minutes <= 0)
		throw new Error(
			`E2E_TIMEOUT_MINUTES=${process.env.E2E_TIMEOUT_MINUTES} is not a positive number`,
		);
	const timer = setTimeout(() => {
		console.log(
			`\n### DEADLINE: still running after ${minutes} min (E2E_TIMEOUT_MINUTES), in phase "${currentPhase}"; killing every child process`,
		);
		checks.fail(
			'e2e deadline',
			`phase "${currentPhase}" did not finish within the ${minutes} min budget`,
		);
		killAll('SIGKILL');
		removeUserFolders();
		console.log(checks.summaryLine());
		// the exit hooks kill anything left (including the browser Playwright launched)
		process.exit(1);
	}, minutes * 60_000);
	timer.unref();
}

/** Resolves when `p` settles or after `ms`, whichever comes first (for cleanup that must not hang). */
async function atMost(p: Promise<unknown>, ms: number, what: string): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<void>((resolve) => {
		timer = setTimeout(() => {
			console.log(`NOTE ${what} did not finish within ${ms} ms; going on`);
			resolve();
		}, ms);
	});
	await Promise.race([
		p.then(
			() => undefined,
			() => undefined,
		),
		late,
	]);
	clearTimeout(timer);
}

async function main(): Promise<number> {
	// Ctrl-C or a CI cancel: say where it stopped; the hooks then kill every child group and exit
	installExitHooks(async (signal) => {
		console.log(
			`\n### INTERRUPTED by ${signal} in phase "${currentPhase}"; killing every child process`,
		);
		checks.fail('e2e interrupted', `${signal} in phase "${currentPhase}"`);
		killAll('SIGKILL');
		removeUserFolders();
		console.log(checks.summaryLine());
	});
	armDeadline();
	console.log(`end-to-end test, deadline ${OVERALL_TIMEOUT_MIN} min (E2E_TIMEOUT_MINUTES)`);

	const outDir = path.join(repoRoot(), '.e2e');
	const only = (process.env.E2E_N8N ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	const targets = N8N_TARGETS.filter((t) => only.length === 0 || only.includes(t.n8nVersion));
	for (const t of N8N_TARGETS) {
		if (!targets.includes(t))
			console.log(`NOTE ${t.label} not run: E2E_N8N=${process.env.E2E_N8N}`);
	}
	if (targets.length === 0) {
		checks.fail(
			'e2e: n8n versions to run',
			`E2E_N8N=${process.env.E2E_N8N} matches none of ${N8N_TARGETS.map((t) => t.n8nVersion).join(', ')}`,
		);
	}

	// installs take minutes when cold: start them all now, in the background
	phase(`n8n installs (${targets.map((t) => t.label).join(', ')}; cached in ${cacheRoot()})`);
	const installs = new Map<N8nTarget, Promise<N8nInstall>>();
	for (const t of targets) {
		const promise = ensureN8n(t);
		promise.catch(() => undefined); // awaited (and reported) below
		installs.set(t, promise);
	}

	phase('npm pack');
	const tarball = await packPackage(checks, path.join(outDir, 'pack'));
	phase('Blocks API emulator');
	const apiKeys = new Map(
		targets.map((t) => [t, `blk_e2e_${slug(t.n8nVersion).replace(/\./g, '_')}`]),
	);
	const emulator = await BlocksEmulator.start({ apiKeys: [...apiKeys.values()], agent });
	console.log(`Blocks API emulator at ${emulator.url}`);
	try {
		for (const target of targets) {
			let install: N8nInstall;
			phase(`${target.label}: n8n install`);
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
				await testVersion({
					checks,
					target,
					install,
					emulator,
					apiKey: apiKeys.get(target)!,
					tarball,
					outDir,
				});
			} catch (e) {
				checks.fail(
					`[${target.label}] tests`,
					e instanceof Error ? (e.stack ?? e.message) : String(e),
				);
			}
		}
	} finally {
		phase('clean-up');
		await atMost(emulator.close(), 10_000, 'closing the emulator');
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
