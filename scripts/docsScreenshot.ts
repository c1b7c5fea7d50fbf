/**
 * `npm run docs:screenshot`: regenerates docs/editor-node-panel.png, the node panel the README
 * opens with, by walking the guided first run (test/e2e/browser/guidedFirstRun.ts) in the n8n release
 * `npm run dev` uses, with this working copy's build loaded and the emulator behind it.
 * Prints the same PASS/FAIL lines as the e2e suite; exits 1 when the journey fails.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BlocksEmulator } from '../emulator';
import { ensureN8n } from '../test/real-n8n/install';
import { installWorkingCopy } from '../test/real-n8n/packageInstall';
import { N8n } from '../test/real-n8n/process';
import { DEV_TARGET } from '../test/real-n8n/versions';
import { installExitHooks } from '../test/real-n8n/processes';
import { repoRoot } from '../test/real-n8n/workflowFiles';
import { DOCS_SCREENSHOT, guidedFirstRun } from '../test/e2e/browser/guidedFirstRun';
import { runEditorPhase } from '../test/e2e/browser/editorSession';
import { Checks, assert } from '../test/e2e/checks';
import { testAgent } from '../test/e2e/testAgent';
import { slug } from '../test/e2e/version';

const API_KEY = 'blk_docs_screenshot';
/** Named as a user would name theirs: the screenshot shows it. */
const CREDENTIAL = { id: 'docsBlocksCred01', name: 'Blocks API' };

async function main(): Promise<number> {
	installExitHooks();
	const checks = new Checks();
	const prefix = `[${DEV_TARGET.label}]`;
	const install = await ensureN8n(DEV_TARGET);
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-blocks-docs-'));
	const outDir = path.join(repoRoot(), '.e2e', 'docs-screenshot');
	const emulator = await BlocksEmulator.start({ apiKeys: [API_KEY], agent: testAgent });
	try {
		installWorkingCopy(repoRoot(), userFolder);
		const n8n = new N8n(install, { userFolder, logDir: path.join(outDir, 'logs') });
		const imported = await checks.check(`${prefix} n8n import:credentials`, async () => {
			const r = await n8n.importCredentials([
				{ ...CREDENTIAL, type: 'blocksApi', data: { apiKey: API_KEY, baseUrl: emulator.url } },
			]);
			assert(r.code === 0, `exit ${r.code}: ${r.stderr || r.stdout}`);
		});
		if (imported)
			await runEditorPhase({
				checks,
				prefix,
				n8n,
				emulator,
				credentialName: CREDENTIAL.name,
				screenshotDir: path.join(outDir, 'screenshots'),
				screenshotPrefix: slug(DEV_TARGET.label),
				browserChecks: [guidedFirstRun({ docsScreenshot: path.join(repoRoot(), DOCS_SCREENSHOT) })],
			});
	} finally {
		await emulator.close();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
	console.log(checks.summaryLine());
	if (checks.failed > 0) return 1;
	console.log(`wrote ${DOCS_SCREENSHOT}`);
	return 0;
}

main().then(
	(code) => process.exit(code),
	(e: unknown) => {
		console.error(
			`npm run docs:screenshot: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
		);
		process.exit(1);
	},
);
