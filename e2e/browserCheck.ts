/**
 * Opens a running n8n's editor in headless Chromium and checks what a person would see of the
 * Blocks node: its icon on the canvas, its fields and operations in the node panel, and a run
 * of one step from the editor against the emulator. Screenshots go to the git-ignored `.e2e/`.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Locator, Page } from 'playwright-core';
import { Checks, assert } from './checks';
import { httpJson } from './n8nCli';
import { BLOCKS_NODE_TYPE } from './workflowFiles';

export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export function chromiumPath(): string {
	return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export const E2E_OWNER: Owner = {
	email: 'owner@example.com',
	password: 'Blocks-e2e-Passw0rd',
	firstName: 'Blocks',
	lastName: 'Tester',
};

/**
 * Creates the instance owner through the same REST call the setup screen makes
 * (`POST /rest/owner/setup`, open until an owner exists). Returns false when an owner exists already.
 */
export async function setUpOwner(baseUrl: string, owner: Owner): Promise<boolean> {
	const r = await httpJson('POST', `${baseUrl}/rest/owner/setup`, owner);
	if (r.status === 200) return true;
	if (r.status === 400 && /already/i.test(r.body)) return false;
	throw new Error(`owner setup answered ${r.status}: ${r.body.slice(0, 300)}`);
}

export interface BrowserCheckOptions {
	checks: Checks;
	/** Prefix of every check name, e.g. "[n8n 2.41.1] editor". */
	prefix: string;
	baseUrl: string;
	owner: Owner;
	workflowId: string;
	/** A Blocks node (Session > Create) on that workflow. */
	createNodeName: string;
	/** A Blocks node (Message > Get Many) on that workflow. */
	listNodeName: string;
	credentialName: string;
	/** Text the Create node's output shows after running it (the session title). */
	expectedOutputText: string;
	/** Sessions the emulator has created so far. */
	sessionsCreated: () => number;
	screenshotDir: string;
	screenshotPrefix: string;
}

const NAV_TIMEOUT = 60_000;
const UI_TIMEOUT = 30_000;

async function visibleTexts(locator: Locator): Promise<string[]> {
	return locator.evaluateAll((els) =>
		els
			.filter((e) => (e as HTMLElement).offsetParent !== null)
			.map((e) => ((e as HTMLElement).innerText || '').split('\n')[0].trim())
			.filter(Boolean),
	);
}

/** Option names of the dropdown lists currently open (rendered lists that are closed have no layout). */
function openOptions(page: Page): Promise<string[]> {
	return visibleTexts(page.locator('.el-select-dropdown__item'));
}

async function waitForOpenOptions(
	page: Page,
	open: boolean,
	timeout = open ? UI_TIMEOUT : 10_000,
): Promise<void> {
	await page.waitForFunction(
		(wantOpen) =>
			Array.from(document.querySelectorAll('.el-select-dropdown__item')).some(
				(e) => (e as HTMLElement).offsetParent !== null,
			) === wantOpen,
		open,
		{ timeout },
	);
}

/** Opens an options parameter's dropdown, returns the option names shown, and closes it again. */
async function dropdownOptions(
	page: Page,
	parameter: string,
	onOpen?: () => Promise<unknown>,
): Promise<string[]> {
	await waitForOpenOptions(page, false);
	const select = page.locator(`[data-test-id="parameter-input-${parameter}"]`).first();
	await select.click();
	await waitForOpenOptions(page, true);
	// let the list finish fading in, so a screenshot shows it as a person sees it
	await page.waitForFunction(
		() =>
			document.getAnimations().every((a) => {
				const target = (a.effect as KeyframeEffect | null)?.target;
				return (
					a.playState !== 'running' || !(target instanceof Element) || !target.closest('.el-popper')
				);
			}),
		undefined,
		{ timeout: 5_000 },
	);
	const options = await openOptions(page);
	await onOpen?.();
	await page.keyboard.press('Escape');
	const closed = await waitForOpenOptions(page, false, 3_000).then(
		() => true,
		() => false,
	);
	if (!closed) {
		// the list stayed open on Escape: clicking the field again toggles it shut
		await select.click();
		await waitForOpenOptions(page, false);
	}
	return options;
}

async function closeNodePanel(page: Page): Promise<void> {
	const ndv = page.locator('[data-test-id="ndv"]');
	if (!(await ndv.isVisible())) return;
	const close = page.locator('[data-test-id="ndv-close-button"]').first();
	if (await close.isVisible()) await close.click();
	else await page.keyboard.press('Escape');
	await ndv.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The labels of the node's parameters (not of the input/output panes or the hover toggles). */
async function parameterLabels(page: Page): Promise<string[]> {
	const params = page.locator('[data-test-id="ndv"] [data-test-id="node-parameters"]');
	const scope = (await params.count()) > 0 ? params.first() : page.locator('[data-test-id="ndv"]');
	const labels = await visibleTexts(scope.locator('label, .n8n-input-label'));
	return labels.filter((l) => !['Fixed', 'Expression', 'Schema', 'Table', 'JSON'].includes(l));
}

export async function runBrowserCheck(o: BrowserCheckOptions): Promise<void> {
	const { checks } = o;
	const name = (s: string) => `${o.prefix}: ${s}`;
	fs.mkdirSync(o.screenshotDir, { recursive: true });
	const shot = (page: Page, step: string) =>
		page.screenshot({ path: path.join(o.screenshotDir, `${o.screenshotPrefix}-${step}.png`) });

	if (!fs.existsSync(chromiumPath())) {
		checks.fail(
			name('browser available'),
			`${chromiumPath()} not found (apt-get install -y chromium, or set CHROMIUM_PATH)`,
		);
		return;
	}
	// loaded lazily so the CLI checks run even where playwright-core is unavailable
	const { chromium } = await import('playwright-core');
	let browser: Browser | undefined;
	const blocked: string[] = [];
	const pageErrors: string[] = [];
	try {
		browser = await chromium.launch({
			executablePath: chromiumPath(),
			args: CHROMIUM_ARGS,
			timeout: 60_000,
		});
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
		// the editor may only talk to this machine
		await context.route('**/*', (route) => {
			const url = new URL(route.request().url());
			if (
				url.protocol === 'data:' ||
				url.protocol === 'blob:' ||
				['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
			) {
				return route.continue();
			}
			blocked.push(url.origin);
			return route.abort();
		});
		context.setDefaultTimeout(UI_TIMEOUT);
		const page = await context.newPage();
		page.on('pageerror', (e) => pageErrors.push(e.message));

		const signedIn = await checks.check(name('sign in as the owner'), async () => {
			await page.goto(`${o.baseUrl}/signin`, { timeout: NAV_TIMEOUT });
			await page
				.locator('input[name="emailOrLdapLoginId"], input[name="email"]')
				.first()
				.fill(o.owner.email);
			await page.locator('input[name="password"]').fill(o.owner.password);
			await page.locator('[data-test-id="form-submit-button"]').click();
			await page.waitForURL((u) => !u.pathname.includes('/signin'), { timeout: NAV_TIMEOUT });
			return `landed on ${new URL(page.url()).pathname}`;
		});
		if (!signedIn) {
			await shot(page, '0-signin-failed').catch(() => undefined);
			return;
		}

		const createNode = page.locator(
			`[data-test-id="canvas-node"][data-node-name="${o.createNodeName}"]`,
		);
		const opened = await checks.check(
			name('imported workflow opens with the Blocks nodes on the canvas'),
			async () => {
				await page.goto(`${o.baseUrl}/workflow/${o.workflowId}`, { timeout: NAV_TIMEOUT });
				await createNode.waitFor({ timeout: NAV_TIMEOUT });
				const types = await page
					.locator('[data-test-id="canvas-node"]')
					.evaluateAll((els) => els.map((e) => e.getAttribute('data-node-type')));
				const blocks = types.filter((t) => t === BLOCKS_NODE_TYPE).length;
				assert(blocks >= 2, `expected Blocks nodes on the canvas, node types: ${types.join(', ')}`);
				return `${blocks} Blocks nodes (${BLOCKS_NODE_TYPE})`;
			},
		);
		if (!opened) {
			await shot(page, '1-canvas-failed').catch(() => undefined);
			return;
		}

		await checks.check(name('node icon renders (the package SVG, loaded)'), async () => {
			const img = createNode.locator('img').first();
			await img.waitFor();
			await page.waitForFunction(
				(el) => (el as HTMLImageElement).complete,
				await img.elementHandle(),
				{ timeout: UI_TIMEOUT },
			);
			const info = await img.evaluate((el) => ({
				src: (el as HTMLImageElement).getAttribute('src') ?? '',
				width: (el as HTMLImageElement).naturalWidth,
			}));
			assert(
				/\/icons\/n8n-nodes-blocks\/.*blocks(\.dark)?\.svg/.test(info.src),
				`icon src is ${info.src}`,
			);
			assert(info.width > 0, `icon ${info.src} did not load (naturalWidth 0)`);
			const res = await httpJson('GET', `${o.baseUrl}${info.src}`);
			assert(
				res.status === 200 && res.body.includes('<svg'),
				`GET ${info.src} answered ${res.status}`,
			);
			return info.src;
		});
		await shot(page, '1-canvas');

		const panelOpen = await checks.check(
			name('node panel shows the Create Session fields'),
			async () => {
				await createNode.dblclick();
				await page.locator('[data-test-id="ndv"]').waitFor();
				await page.locator('[data-test-id="parameter-input-operation"]').first().waitFor();
				const labels = await parameterLabels(page);
				// 2.x labels the credential field "Credential", 1.x "Credential to connect with"
				assert(
					labels.some((l) => l.startsWith('Credential')),
					`no credential field; labels: ${labels.join(', ')}`,
				);
				for (const want of [
					'Resource',
					'Operation',
					'Agent',
					'Message',
					'Wait for Reply',
					'Options',
				]) {
					assert(labels.includes(want), `field "${want}" missing; labels: ${labels.join(', ')}`);
				}
				const credText = await page
					.locator('[data-test-id="node-credentials-select"]')
					.first()
					.evaluate(
						(el) => `${el.querySelector('input')?.value ?? ''} ${(el as HTMLElement).innerText}`,
					);
				assert(
					credText.includes(o.credentialName),
					`credential "${o.credentialName}" not selected (shows "${credText.trim()}")`,
				);
				return labels
					.filter(
						(l) =>
							![
								'Always Output Data',
								'Execute Once',
								'Retry On Fail',
								'On Error',
								'Notes',
							].includes(l),
					)
					.join(', ');
			},
		);
		await shot(page, '2-node-panel');

		if (panelOpen) {
			await checks.check(name('Resource offers Session and Message'), async () => {
				const options = await dropdownOptions(page, 'resource');
				for (const want of ['Session', 'Message'])
					assert(options.includes(want), `"${want}" missing from ${options.join(', ')}`);
				return options.join(', ');
			});
			await checks.check(
				name('Operation offers Create, Get, Send Message, Wait for Reply'),
				async () => {
					const options = await dropdownOptions(page, 'operation', () =>
						shot(page, '3-operations'),
					);
					for (const want of ['Create', 'Get', 'Send Message', 'Wait for Reply']) {
						assert(options.includes(want), `"${want}" missing from ${options.join(', ')}`);
					}
					return options.join(', ');
				},
			);
			await checks.check(
				name('Execute step in the editor creates a session on the emulator'),
				async () => {
					const before = o.sessionsCreated();
					await page
						.locator('[data-test-id="ndv"] [data-test-id="node-execute-button"]')
						.first()
						.click();
					const output = page.locator('[data-test-id="output-panel"]');
					await output.getByText(o.expectedOutputText).first().waitFor({ timeout: 60_000 });
					const after = o.sessionsCreated();
					assert(after === before + 1, `emulator sessions went from ${before} to ${after}`);
					return `output shows "${o.expectedOutputText}"`;
				},
			);
			await shot(page, '4-executed');
		}
		await closeNodePanel(page);

		await checks.check(name('node panel shows the Message > Get Many fields'), async () => {
			const listNode = page.locator(
				`[data-test-id="canvas-node"][data-node-name="${o.listNodeName}"]`,
			);
			await listNode.dblclick();
			await page.locator('[data-test-id="ndv"]').waitFor();
			await page.locator('[data-test-id="parameter-input-sessionId"]').first().waitFor();
			const labels = await parameterLabels(page);
			for (const want of [
				'Resource',
				'Operation',
				'Session ID',
				'Return All',
				'Limit',
				'Filters',
			]) {
				assert(labels.includes(want), `field "${want}" missing; labels: ${labels.join(', ')}`);
			}
			await shot(page, '5-message-get-many');
			return 'Session ID, Thread ID, Return All, Limit, Filters';
		});
	} catch (e) {
		checks.fail(name('browser session'), e instanceof Error ? (e.stack ?? e.message) : String(e));
	} finally {
		if (blocked.length)
			console.log(`[browser] blocked requests to other hosts: ${[...new Set(blocked)].join(', ')}`);
		if (pageErrors.length)
			console.log(`[browser] page errors: ${pageErrors.slice(0, 5).join(' | ')}`);
		await browser?.close().catch(() => undefined);
	}
}
