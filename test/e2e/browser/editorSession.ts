/**
 * The editor phase of one n8n version: `n8n start`, the owner account, headless Chromium signed in
 * as the owner, then each browser check on a page of its own; n8n is stopped at the end.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import type { BlocksEmulator } from '../../../emulator';
import { elapsed } from '../../real-n8n/elapsed';
import { Owner, setUpOwner } from '../../real-n8n/owner';
import type { N8n, N8nServer } from '../../real-n8n/process';
import { freePort } from '../../real-n8n/processes';
import { Checks, assert } from '../checks';
import { launchLocalOnly } from './chromium';
import { signIn } from './editorPage';

export const E2E_OWNER: Owner = {
	email: 'owner@example.com',
	password: 'Blocks-e2e-Passw0rd',
	firstName: 'Blocks',
	lastName: 'Tester',
};

type Check = (name: string, fn: () => Promise<string | void> | string | void) => Promise<boolean>;

/** What a browser check gets: a signed-in page and a way to report. */
export interface EditorSession {
	/** One PASS/FAIL line, named "[n8n x] editor: <name>". */
	check: Check;
	page: Page;
	baseUrl: string;
	/** Saves a screenshot of the page as `<version>-<step>.png` in the run's screenshot folder. */
	shot(step: string): Promise<void>;
	emulator: BlocksEmulator;
	/** The credential the e2e run imported with its own key. */
	credentialName: string;
}

type BrowserCheck = (session: EditorSession) => Promise<void>;

export interface EditorPhaseOptions {
	checks: Checks;
	/** Starts every check name, e.g. "[n8n 2.41.1]". */
	prefix: string;
	n8n: N8n;
	emulator: BlocksEmulator;
	credentialName: string;
	screenshotDir: string;
	screenshotPrefix: string;
	browserChecks: BrowserCheck[];
}

export async function runEditorPhase(o: EditorPhaseOptions): Promise<void> {
	const check: Check = (name, fn) => o.checks.check(`${o.prefix} ${name}`, fn);
	const port = await freePort();
	let server: N8nServer | undefined;
	const started = await check('n8n start serves /healthz/readiness', async () => {
		server = await o.n8n.startServer(port);
		return server.url;
	});
	if (!started || !server) return;
	const srv = server;
	try {
		const owner = await check('owner account created via POST /rest/owner/setup', async () => {
			await setUpOwner(srv.url, E2E_OWNER);
			return E2E_OWNER.email;
		});
		if (owner) await inBrowser(o, srv.url);
	} finally {
		await check('n8n stops on SIGTERM', async () => {
			const t0 = Date.now();
			await srv.stop();
			const exit = await srv.proc.exited;
			assert(exit.signal !== 'SIGKILL', 'n8n had to be killed');
			return `in ${elapsed(t0)}`;
		});
	}
}

async function inBrowser(o: EditorPhaseOptions, baseUrl: string): Promise<void> {
	const name = (s: string) => `${o.prefix} editor: ${s}`;
	const check: Check = (s, fn) => o.checks.check(name(s), fn);
	fs.mkdirSync(o.screenshotDir, { recursive: true });
	const screenshot = (page: Page, step: string) =>
		page
			.screenshot({ path: path.join(o.screenshotDir, `${o.screenshotPrefix}-${step}.png`) })
			.then(() => undefined);
	let browser: Awaited<ReturnType<typeof launchLocalOnly>> | undefined;
	const launched = await check('browser available', async () => {
		browser = await launchLocalOnly();
	});
	if (!launched || !browser) return;
	try {
		const { context } = browser;
		const first = await context.newPage();
		const signedIn = await check('sign in as the owner', async () => {
			return `landed on ${await signIn(first, baseUrl, E2E_OWNER)}`;
		});
		if (!signedIn) {
			await screenshot(first, '0-signin-failed').catch(() => undefined);
			return;
		}
		await first.close();
		for (const browserCheck of o.browserChecks) {
			const page = await context.newPage();
			try {
				await browserCheck({
					check,
					page,
					baseUrl,
					shot: (step) => screenshot(page, step),
					emulator: o.emulator,
					credentialName: o.credentialName,
				});
			} catch (e) {
				o.checks.fail(
					name('browser session'),
					e instanceof Error ? (e.stack ?? e.message) : String(e),
				);
			} finally {
				await page.close().catch(() => undefined);
			}
		}
	} finally {
		await browser.close();
	}
}
