/**
 * The server scenarios (test/e2e/serverScenario.ts) against one n8n version, on a user folder of their
 * own: the package installed as a community package, credentials and workflows imported with
 * n8n's CLI, then `n8n start`, the owner signed in over the REST API, every workflow activated,
 * the credential's Test button pressed over REST (test/e2e/credentialTest.ts), and each scenario run
 * through its webhook. n8n is stopped at the end, also on failure.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { elapsed } from '../real-n8n/elapsed';
import { setUpOwner } from '../real-n8n/owner';
import { installTarball } from '../real-n8n/packageInstall';
import { N8n, N8nServer } from '../real-n8n/process';
import { N8nRest } from '../real-n8n/rest';
import { freePort } from '../real-n8n/processes';
import { E2E_OWNER } from './browser/editorSession';
import { assert } from './checks';
import { credentialsToImport } from './credentials';
import { checkCredentialTest } from './credentialTest';
import { phase, releaseUserFolder, trackUserFolder } from './progress';
import { scenarioWorkflow } from './scenario';
import type { AnyServerScenario, ServerPrepared } from './serverScenario';
import { SERVER_SCENARIOS, selectedScenarios } from './scenarios';
import { slug, type VersionContext } from './version';

/** Returns whether every check passed. */
export async function testServerScenarios(ctx: VersionContext): Promise<boolean> {
	const { checks, target } = ctx;
	const check = (name: string, fn: () => Promise<string | void> | string | void) =>
		checks.check(`[${target.label}] n8n start: ${name}`, fn);
	const failedBefore = checks.failed;
	const major = Number(target.n8nVersion.split('.')[0]);
	const runnable = selectedScenarios(SERVER_SCENARIOS).filter((scenario) => {
		const since = scenario.sinceN8nMajor;
		if (since === undefined || major >= since) return true;
		console.log(
			`NOTE [${target.label}] ${JSON.stringify(scenario.workflow)} not run: it needs n8n ${since}.x or later`,
		);
		return false;
	});
	if (runnable.length === 0) return true;
	phase(`${target.label}: server scenarios (n8n start, webhooks, REST API)`);
	const userFolder = fs.mkdtempSync(
		path.join(os.tmpdir(), `n8n-blocks-e2e-server-${slug(target.n8nVersion)}-`),
	);
	trackUserFolder(userFolder);
	const logDir = path.join(ctx.outDir, 'logs', `${slug(target.label)}-server`);
	fs.rmSync(logDir, { recursive: true, force: true });
	const n8n = new N8n(ctx.install, { userFolder, logDir });

	const blocks = { emulator: ctx.emulator, apiKey: ctx.apiKey };
	const scenarios: Array<{
		scenario: AnyServerScenario;
		fileName: string;
		workflow: ServerScenarioWorkflow;
	}> = [];
	for (const scenario of runnable) {
		// scenarioWorkflow reads only the workflow reference
		const { file, workflow } = scenarioWorkflow({ workflow: scenario.workflow, verify: noCheck });
		scenarios.push({
			scenario,
			fileName: path.basename(file),
			workflow: scenario.adapt ? await scenario.adapt(workflow, blocks) : workflow,
		});
	}
	const workflows = scenarios.map((s) => s.workflow);
	// What scenarios start besides the emulator (a model emulator…): closed in the finally below.
	const services = new Map<AnyServerScenario, ServerPrepared<unknown>>();
	const prepared = await check(
		`package, credentials and ${workflows.length} workflows in place (n8n import)`,
		async () => {
			await installTarball(ctx.tarball, userFolder);
			for (const { scenario } of scenarios) {
				if (scenario.prepare) services.set(scenario, await scenario.prepare());
			}
			const creds = await n8n.importCredentials([
				...credentialsToImport(workflows, ctx.apiKey, ctx.emulator.url),
				...[...services.values()].flatMap((service) => service.credentials),
			]);
			assert(creds.code === 0, `import:credentials exit ${creds.code}: ${creds.stderr}`);
			const wfs = await n8n.importWorkflows(workflows);
			assert(wfs.code === 0, `import:workflow exit ${wfs.code}: ${wfs.stderr}`);
			return workflows.map((w) => w.id).join(', ');
		},
	);
	let server: N8nServer | undefined;
	const started =
		prepared &&
		(await check('n8n start serves /healthz/readiness', async () => {
			server = await n8n.startServer(await freePort());
			return server.url;
		}));
	try {
		let rest: N8nRest | undefined;
		const ready =
			started &&
			server &&
			(await check('owner signed in over REST, every workflow activated', async () => {
				await setUpOwner(server!.url, E2E_OWNER);
				rest = await N8nRest.signIn(server!.url, E2E_OWNER);
				const activeNow = scenarios.filter((s) => !s.scenario.activatedByRun);
				for (const s of activeNow) await rest.activateWorkflow(String(s.workflow.id));
				return `${activeNow.length} active, ${scenarios.length - activeNow.length} left to their scenario`;
			}));
		if (ready && rest) {
			await checkCredentialTest(rest, ctx.emulator, ctx.apiKey, check);
			for (const s of scenarios) await runOne(s, services.get(s.scenario)?.state, rest, ctx, check);
		}
	} finally {
		if (server) await server.stop();
		for (const service of services.values()) await service.close().catch(() => undefined);
		const ok = checks.failed === failedBefore;
		if (ok && process.env.E2E_KEEP !== '1') fs.rmSync(userFolder, { recursive: true, force: true });
		else console.log(`[${target.label}] server user folder kept: ${userFolder}`);
		releaseUserFolder(userFolder);
	}
	return checks.failed === failedBefore;
}

async function runOne(
	s: { scenario: AnyServerScenario; fileName: string; workflow: ServerScenarioWorkflow },
	state: unknown,
	rest: N8nRest,
	ctx: VersionContext,
	check: (name: string, fn: () => Promise<string | void> | string | void) => Promise<boolean>,
): Promise<void> {
	phase(`${ctx.target.label}: server scenario ${s.fileName}`);
	const since = ctx.emulator.requests.length;
	const t0 = Date.now();
	try {
		await s.scenario.run(
			{
				check,
				fileName: s.fileName,
				workflow: s.workflow,
				rest,
				emulator: ctx.emulator,
				apiKey: ctx.apiKey,
				requests: () => ctx.emulator.requests.slice(since),
			},
			state,
		);
	} catch (e) {
		// outside any check: a bug in the scenario itself; the next one still runs
		await check(`scenario ${s.fileName}`, () => {
			throw e;
		});
	}
	console.log(`[${ctx.target.label}] server scenario ${s.fileName} took ${elapsed(t0)}`);
}

type ServerScenarioWorkflow = ReturnType<typeof scenarioWorkflow>['workflow'];

async function noCheck(): Promise<void> {}
