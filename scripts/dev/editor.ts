/**
 * `npm run dev`: a real n8n editor with this working copy loaded, talking to the Blocks API emulator.
 *
 * - n8n (the release pinned as DEV_TARGET in test/real-n8n/versions.ts) on http://127.0.0.1:5678 (N8N_DEV_PORT),
 *   with a persistent user folder in the cache, so the second start is fast and keeps your edits;
 * - this working copy installed as the community package n8n-nodes-blocks: a real folder holding a
 *   copy of package.json and dist/ (no node_modules, so the package uses n8n's own n8n-workflow, as
 *   an installed package does; a symlink to the repository would load its devDependency instead).
 *   dist/ is watched: after `npm run build` in another terminal the changed files are copied over,
 *   n8n reloads the node (N8N_DEV_RELOAD), and a refresh of the browser page shows it;
 * - the emulator on http://127.0.0.1:4010 (BLOCKS_EMULATOR_PORT), the credential the examples use
 *   ("Blocks API (local emulator)", id blocksLocalEmu01) pointing at it, and the examples imported;
 * - an owner account, printed at start.
 *
 * Ctrl-C stops n8n (its whole process group) and the emulator.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { BlocksEmulator, echoAgent } from '../../emulator';
import { cacheRoot, ensureN8n } from '../../test/real-n8n/install';
import { Owner, setUpOwner } from '../../test/real-n8n/owner';
import { installWorkingCopy, shadowingN8nWorkflow } from '../../test/real-n8n/packageInstall';
import { N8n, N8nServer } from '../../test/real-n8n/process';
import { foreignResolutions, readResolveLog } from '../../test/real-n8n/resolutionLog';
import { DEV_TARGET } from '../../test/real-n8n/versions';
import { pollUntil } from '../../test/support/pollUntil';
import { installExitHooks, portInUse } from '../../test/real-n8n/processes';
import {
	WorkflowJson,
	examples,
	repoRoot,
	withCredential,
} from '../../test/real-n8n/workflowFiles';
import { watchBuild } from './buildSync';

/** The credential examples/*.workflow.json refer to, so they open ready to run. */
const DEV_CREDENTIAL = { id: 'blocksLocalEmu01', name: 'Blocks API (local emulator)' };
const DEV_OWNER: Owner = {
	email: 'dev@example.com',
	password: 'Blocks-dev-Passw0rd',
	firstName: 'Blocks',
	lastName: 'Developer',
};
/** Emulated time the echo agent takes to answer, so waiting is visible in the editor. */
const AGENT_DELAY_MS = 3_000;

interface DevState {
	credential?: string;
	workflows?: string;
}

function hash(data: unknown): string {
	return crypto.createHash('sha256').update(JSON.stringify(data)).digest('hex');
}

function readState(file: string): DevState {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8')) as DevState;
	} catch {
		return {};
	}
}

function numberFromEnv(name: string, fallback: number): number {
	const raw = process.env[name];
	if (!raw) return fallback;
	const n = Number(raw);
	if (!Number.isInteger(n) || n <= 0 || n > 65535)
		throw new Error(`${name}=${raw} is not a port number`);
	return n;
}

async function main(): Promise<void> {
	let server: N8nServer | undefined;
	let emulator: BlocksEmulator | undefined;
	// set once the build watcher starts; shutdown may run before that
	const running: { watcher?: { close: () => void } } = {};
	let stopping = false;
	const shutdown = async () => {
		stopping = true;
		console.log('\nStopping n8n and the emulator…');
		running.watcher?.close();
		await server?.stop();
		await emulator?.close();
		console.log('Stopped.');
	};
	installExitHooks(shutdown);

	const n8nPort = numberFromEnv('N8N_DEV_PORT', 5678);
	const emulatorPort = numberFromEnv('BLOCKS_EMULATOR_PORT', 4010);
	for (const [what, port] of [
		['n8n', n8nPort],
		['the emulator', emulatorPort],
	] as const) {
		if (await portInUse(port)) {
			throw new Error(
				`port ${port} (for ${what}) is in use: stop what runs there, or pick another with ${what === 'n8n' ? 'N8N_DEV_PORT' : 'BLOCKS_EMULATOR_PORT'}`,
			);
		}
	}

	const install = await ensureN8n(DEV_TARGET);
	const devDir = path.join(cacheRoot(), 'dev');
	const userFolder = path.join(devDir, `user-folder-${DEV_TARGET.n8nVersion}`);
	const logDir = path.join(devDir, 'logs');
	const stateFile = path.join(userFolder, 'dev-state.json');
	const resolveLog = path.join(logDir, 'n8n-workflow-resolution.log');
	fs.mkdirSync(userFolder, { recursive: true });
	fs.mkdirSync(logDir, { recursive: true });
	fs.rmSync(resolveLog, { force: true });
	const { dir: pkgDir } = installWorkingCopy(repoRoot(), userFolder);
	const shadows = shadowingN8nWorkflow(pkgDir);
	if (shadows.length) {
		throw new Error(
			`the package would load n8n-workflow from ${shadows.join(', ')} instead of n8n's own copy: remove it`,
		);
	}
	const n8n = new N8n(install, {
		userFolder,
		logDir,
		echoServerLog: process.env.N8N_DEV_QUIET !== '1',
		resolveLog,
	});

	emulator = await BlocksEmulator.start({ port: emulatorPort, agent: echoAgent(AGENT_DELAY_MS) });
	console.log(`Blocks API emulator on ${emulator.url} (API key ${emulator.apiKey})`);

	// imports only when something changed, so a second start is quick and keeps edits in the editor
	const state = readState(stateFile);
	const credential = [
		{
			...DEV_CREDENTIAL,
			type: 'blocksApi',
			data: { apiKey: emulator.apiKey, baseUrl: emulator.url },
		},
	];
	if (state.credential !== hash(credential)) {
		const r = await n8n.importCredentials(credential);
		if (r.code !== 0) throw new Error(`importing the credential failed:\n${r.stderr || r.stdout}`);
		state.credential = hash(credential);
		fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
	}
	const workflows: WorkflowJson[] = examples().map((e) =>
		withCredential(e.workflow, DEV_CREDENTIAL),
	);
	if (state.workflows !== hash(workflows)) {
		const r = await n8n.importWorkflows(workflows);
		if (r.code !== 0) throw new Error(`importing the workflows failed:\n${r.stderr || r.stdout}`);
		state.workflows = hash(workflows);
		fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
	}

	server = await n8n.startServer(n8nPort, 180_000, {
		// n8n watches the package folder and reloads the node when its files change
		N8N_DEV_RELOAD: 'true',
	});
	const created = await setUpOwner(server.url, DEV_OWNER);
	running.watcher = watchBuild(repoRoot(), userFolder);

	// which n8n-workflow the package got inside the running n8n (it loads the node at start)
	const serverPid = server.proc.child.pid;
	const resolutions = await pollUntil(
		() => {
			const r = readResolveLog(resolveLog).filter((x) => x.pid === serverPid);
			return r.length ? r : undefined;
		},
		{ timeoutMs: 10_000, intervalMs: 250, description: 'the package to load in n8n' },
	).catch(() => []);
	const foreign = foreignResolutions(resolutions, install);
	let resolution = `${resolutions[0]?.resolved} (n8n's own)`;
	if (resolutions.length === 0) resolution = 'not seen (did the package load? see the server log)';
	else if (foreign.length) {
		resolution = `WRONG COPY ${[...new Set(foreign.map((r) => r.resolved))].join(', ')}: instanceof checks against n8n's classes fail`;
	}

	const line = '─'.repeat(72);
	console.log(`\n${line}`);
	console.log(`n8n ${DEV_TARGET.n8nVersion} editor:  ${server.url}`);
	console.log(
		`  sign in:          ${DEV_OWNER.email} / ${DEV_OWNER.password}${created ? ' (owner just created)' : ''}`,
	);
	console.log(
		`  credential:       "${DEV_CREDENTIAL.name}" (${DEV_CREDENTIAL.id}) -> ${emulator.url}`,
	);
	console.log(
		`  workflows:        ${workflows.map((w) => `${w.name} (${server!.url}/workflow/${w.id})`).join('\n                    ')}`,
	);
	console.log(`  package:          ${pkgDir} (package.json + dist/ copied from ${repoRoot()})`);
	console.log(`  n8n-workflow:     ${resolution}`);
	console.log(
		`  rebuild:          npm run build in another terminal: dist/ is copied over, n8n reloads the node; refresh the page`,
	);
	console.log(`  user folder:      ${userFolder} (delete it to start from scratch)`);
	console.log(`  server log:       ${server.logFile}`);
	console.log(`Ctrl-C stops n8n and the emulator.`);
	console.log(line);

	const exit = await server.proc.exited;
	if (stopping) return new Promise<void>(() => undefined); // the signal handler exits
	running.watcher.close();
	server = undefined;
	await emulator.close();
	emulator = undefined;
	throw new Error(`n8n exited unexpectedly (code ${exit.code}, signal ${exit.signal})`);
}

main().catch((e: unknown) => {
	console.error(`npm run dev: ${e instanceof Error ? e.message : String(e)}`);
	process.exit(1);
});
