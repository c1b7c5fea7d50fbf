/**
 * Everything the e2e run checks against one n8n version: the package installed as a community
 * package, the credentials and every scenario's workflow imported with n8n's CLI, each scenario
 * run with `n8n execute`, the package's n8n-workflow resolution, then the editor in a browser.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { BlocksEmulator } from '../../emulator';
import type { N8nInstall } from '../real-n8n/install';
import {
	PACKAGE_NAME,
	installTarball,
	packageDir,
	shadowingN8nWorkflow,
} from '../real-n8n/packageInstall';
import { N8n, type ExecuteResult } from '../real-n8n/process';
import { foreignResolutions, readResolveLog } from '../real-n8n/resolutionLog';
import type { N8nTarget } from '../real-n8n/versions';
import { checkImportedWorkflow } from './browser/editorCheck';
import { runEditorPhase } from './browser/editorSession';
import { guidedFirstRun } from './browser/guidedFirstRun';
import { Checks, assert } from './checks';
import { E2E_CREDENTIAL, credentialsToImport } from './credentials';
import { phase, releaseUserFolder, trackUserFolder } from './progress';
import { AnyScenario, Prepared, scenarioWorkflow } from './scenario';
import { SCENARIOS, selectedScenarios } from './scenarios';

export interface VersionContext {
	checks: Checks;
	target: N8nTarget;
	install: N8nInstall;
	emulator: BlocksEmulator;
	apiKey: string;
	tarball: string;
	/** The run's output folder (logs, screenshots). */
	outDir: string;
}

/** A file-name-safe form of a label or version. */
export function slug(s: string): string {
	return s.replace(/[^a-zA-Z0-9.]+/g, '-').replace(/^-|-$/g, '');
}

/** Returns whether every check of this version passed. */
export async function testVersion(ctx: VersionContext): Promise<boolean> {
	const { checks, target, emulator } = ctx;
	const p = `[${target.label}]`;
	const check = (name: string, fn: () => Promise<string | void> | string | void) =>
		checks.check(`${p} ${name}`, fn);
	const failedBefore = checks.failed;
	const userFolder = fs.mkdtempSync(
		path.join(os.tmpdir(), `n8n-blocks-e2e-${slug(target.n8nVersion)}-`),
	);
	trackUserFolder(userFolder);
	const logDir = path.join(ctx.outDir, 'logs', slug(target.label));
	fs.rmSync(logDir, { recursive: true, force: true });
	fs.mkdirSync(logDir, { recursive: true });
	const resolveLog = path.join(logDir, 'n8n-workflow-resolution.log');
	const n8n = new N8n(ctx.install, { userFolder, logDir, resolveLog });
	phase(`${target.label}: install the package, import credentials and workflows`);
	console.log(
		`=== ${target.label} on Node ${target.node === 'system' ? process.version.slice(1) : target.node} — user folder ${userFolder}, logs ${logDir}`,
	);

	const installed = await check(
		`package installs as a community package (nodes/node_modules/${PACKAGE_NAME})`,
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

	const prepared: Array<{ scenario: AnyScenario; file: string } & Prepared<unknown>> = [];
	try {
		for (const scenario of selectedScenarios(SCENARIOS)) {
			const { file, workflow } = scenarioWorkflow(scenario);
			const ready = scenario.prepare
				? await scenario.prepare(workflow)
				: { workflow, state: undefined, close: async () => undefined };
			prepared.push({ scenario, file, ...ready });
		}
		if (!(await importAndRun(prepared, n8n, ctx, check, userFolder))) return false;
	} finally {
		for (const p of prepared) await p.close().catch(() => undefined);
	}

	await check(
		"the package loads n8n's own n8n-workflow inside n8n (require.resolve, recorded by a preload probe)",
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

	if (target.browserCheck && process.env.E2E_SKIP_BROWSER !== '1') {
		phase(`${target.label}: the editor in headless Chromium (n8n start)`);
		await runEditorPhase({
			checks,
			prefix: p,
			n8n,
			emulator,
			credentialName: E2E_CREDENTIAL.name,
			screenshotDir: path.join(ctx.outDir, 'screenshots'),
			screenshotPrefix: slug(target.label),
			browserChecks: [checkImportedWorkflow, guidedFirstRun()],
		});
	}

	const ok = checks.failed === failedBefore;
	if (ok && process.env.E2E_KEEP !== '1') fs.rmSync(userFolder, { recursive: true, force: true });
	else console.log(`${p} user folder kept: ${userFolder}`);
	releaseUserFolder(userFolder);
	return ok;
}

type Check = (name: string, fn: () => Promise<string | void> | string | void) => Promise<boolean>;

/** Imports the credentials and the scenarios' workflows, then runs each scenario; false when the imports failed. */
async function importAndRun(
	scenarios: Array<{ scenario: AnyScenario; file: string } & Prepared<unknown>>,
	n8n: N8n,
	ctx: VersionContext,
	check: Check,
	userFolder: string,
): Promise<boolean> {
	const workflows = scenarios.map((s) => s.workflow);
	const { emulator, apiKey } = ctx;
	const credentials = credentialsToImport(workflows, apiKey, emulator.url);
	const imported = await check(
		'n8n import:credentials (plain data, encrypted on import)',
		async () => {
			const r = await n8n.importCredentials(credentials);
			assert(r.code === 0, `exit ${r.code}: ${lastLines(r.stderr || r.stdout)}`);
			assert(
				new RegExp(`imported ${credentials.length} credentials?\\b`, 'i').test(r.stdout + r.stderr),
				`n8n did not report ${credentials.length} imported credentials`,
			);
			const stored = fs
				.readFileSync(path.join(userFolder, '.n8n', 'database.sqlite'))
				.toString('latin1');
			assert(!stored.includes(apiKey), 'the API key is stored in clear text');
			return `${credentials.map((c) => `"${c.name}"`).join(', ')}; stored encrypted`;
		},
	);
	const importedWf =
		imported &&
		(await check(`n8n import:workflow (${workflows.length} workflows, fixed ids)`, async () => {
			const r = await n8n.importWorkflows(workflows);
			assert(r.code === 0, `exit ${r.code}: ${lastLines(r.stderr || r.stdout)}`);
			assert(
				new RegExp(`imported ${workflows.length} workflows?\\b`, 'i').test(r.stdout + r.stderr),
				'n8n did not report every workflow imported',
			);
			return workflows.map((w) => w.id).join(', ');
		}));
	if (!importedWf) return false;

	for (const { scenario, file, workflow, state } of scenarios) {
		phase(`${ctx.target.label}: scenario ${path.basename(file)} (n8n execute)`);
		await runScenario(scenario, path.basename(file), workflow, state, n8n, ctx, check);
	}
	return true;
}

async function runScenario(
	scenario: AnyScenario,
	fileName: string,
	workflow: Prepared<unknown>['workflow'],
	state: unknown,
	n8n: N8n,
	ctx: VersionContext,
	check: Check,
): Promise<void> {
	const since = ctx.emulator.requests.length;
	const undo = scenario.arrange?.(ctx.emulator);
	let result: ExecuteResult;
	try {
		result = await n8n.execute(String(workflow.id));
	} finally {
		undo?.();
	}
	try {
		await scenario.verify(
			{
				check,
				fileName,
				workflow,
				result,
				emulator: ctx.emulator,
				apiKey: ctx.apiKey,
				requests: () => ctx.emulator.requests.slice(since),
			},
			state,
		);
	} catch (e) {
		// outside any check: a bug in the scenario itself; the next scenario still runs
		await check(`scenario ${fileName}`, () => {
			throw e;
		});
	}
}

function lastLines(text: string): string {
	return text.trim().split('\n').slice(-5).join('\n');
}
