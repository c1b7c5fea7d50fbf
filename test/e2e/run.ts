/**
 * End-to-end test: the packed package installed into real n8n releases (test/real-n8n/versions.ts),
 * driven through n8n's own CLI against the Blocks API emulator, plus the editor in a headless browser.
 *
 *   npm run test:e2e
 *
 * Phases (each announced by a "### phase" line): n8n installs (cached), npm pack, emulator, then per
 * n8n version (test/e2e/version.ts): install the package, import, run each scenario (test/e2e/scenarios/),
 * the editor in a browser (test/e2e/browser/).
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
 *   E2E_ONLY             comma-separated parts of workflow file names: run only their scenarios
 *                        (and skip the phases none of them is in)
 *   E2E_OUT_DIR          where the tarball, logs and screenshots go (default .e2e/); runs side
 *                        by side (one per n8n version, as .ci/run does) each need their own
 *   CHROMIUM_PATH        Chromium binary (default /usr/bin/chromium)
 *
 * Prints one PASS/FAIL line per check and ends with "N passed, N failed"; exits 1 on any failure.
 */
import * as path from 'path';
import { BlocksEmulator } from '../../emulator';
import { cacheRoot, ensureN8n, N8nInstall } from '../real-n8n/install';
import { N8N_TARGETS, N8nTarget } from '../real-n8n/versions';
import { installExitHooks, killAll } from '../real-n8n/processes';
import { examples, repoRoot } from '../real-n8n/workflowFiles';
import { Checks } from './checks';
import { packPackage } from './pack';
import { currentPhase, phase, removeUserFolders, runTime } from './progress';
import { SCENARIOS, SERVER_SCENARIOS, selectedScenarios } from './scenarios';
import { testServerScenarios } from './serverVersion';
import { LATER_AGENT_NAME, testAgent } from './testAgent';
import { slug, testVersion } from './version';

const OVERALL_TIMEOUT_MIN = Number(process.env.E2E_TIMEOUT_MINUTES || 20);

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
			`\n### DEADLINE: still running after ${minutes} min (E2E_TIMEOUT_MINUTES), in phase "${currentPhase()}"; killing every child process`,
		);
		checks.fail(
			'e2e deadline',
			`phase "${currentPhase()}" did not finish within the ${minutes} min budget`,
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

/** The n8n versions E2E_N8N selects (all when unset). */
function selectedTargets(): N8nTarget[] {
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
	return targets;
}

/**
 * Examples that run only in the engine tests so far, each with the reason; the run lists them.
 * Keep this empty: an entry is a debt, not a rule.
 */
const ENGINE_TESTED_ONLY: Record<string, string> = {};

/** A shipped example nobody runs would go stale unseen: each needs a scenario of its own. */
function checkEveryExampleHasScenario(): void {
	const covered = new Set(
		[...SCENARIOS, ...SERVER_SCENARIOS].flatMap((s) =>
			'example' in s.workflow ? [s.workflow.example] : [],
		),
	);
	for (const [name, reason] of Object.entries(ENGINE_TESTED_ONLY)) {
		console.log(`NOTE ${name} has no real-n8n scenario yet: ${reason}`);
	}
	const missing = examples()
		.map((e) => path.basename(e.file))
		.filter((name) => !covered.has(name) && !(name in ENGINE_TESTED_ONLY));
	if (missing.length)
		checks.fail(
			'every example has an e2e scenario',
			`no scenario in test/e2e/scenarios/ runs ${missing.join(', ')}`,
		);
	else checks.pass('every example has an e2e scenario', `${covered.size} examples`);
}

async function main(): Promise<number> {
	// Ctrl-C or a CI cancel: say where it stopped; the hooks then kill every child group and exit
	installExitHooks(async (signal) => {
		console.log(
			`\n### INTERRUPTED by ${signal} in phase "${currentPhase()}"; killing every child process`,
		);
		checks.fail('e2e interrupted', `${signal} in phase "${currentPhase()}"`);
		killAll('SIGKILL');
		removeUserFolders();
		console.log(checks.summaryLine());
	});
	armDeadline();
	console.log(`end-to-end test, deadline ${OVERALL_TIMEOUT_MIN} min (E2E_TIMEOUT_MINUTES)`);

	const outDir = path.resolve(repoRoot(), process.env.E2E_OUT_DIR || '.e2e');
	const targets = selectedTargets();
	checkEveryExampleHasScenario();

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
	const emulator = await BlocksEmulator.start({
		apiKeys: [...apiKeys.values()],
		agent: testAgent,
		moreAgentNames: [LATER_AGENT_NAME],
	});
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
			const versionContext = {
				checks,
				target,
				install,
				emulator,
				apiKey: apiKeys.get(target)!,
				tarball,
				outDir,
			};
			try {
				if (selectedScenarios(SCENARIOS).length) await testVersion(versionContext);
				else console.log(`NOTE [${target.label}] n8n execute phase skipped: E2E_ONLY`);
				if (selectedScenarios(SERVER_SCENARIOS).length) await testServerScenarios(versionContext);
				else console.log(`NOTE [${target.label}] server phase skipped: E2E_ONLY`);
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
	console.log(`\nend-to-end finished in ${runTime()}; logs and screenshots in ${outDir}`);
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
