/**
 * Debian's Chromium, headless, driven by playwright-core, with a context that may only talk to
 * this machine (anything else is blocked and reported).
 */
import * as fs from 'fs';
import type { Browser, BrowserContext } from 'playwright-core';

const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export const UI_TIMEOUT = 30_000;
export const NAV_TIMEOUT = 60_000;

function chromiumPath(): string {
	return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

export interface LocalBrowser {
	browser: Browser;
	context: BrowserContext;
	/** Origins the pages tried to reach off this machine (blocked). */
	blocked: Set<string>;
	/** Uncaught errors of the pages opened in `context`. */
	pageErrors: string[];
	/** Reports what was blocked and the page errors, then closes the browser. */
	close(): Promise<void>;
}

/** Fails with an install hint when Chromium is missing. */
export async function launchLocalOnly(): Promise<LocalBrowser> {
	if (!fs.existsSync(chromiumPath()))
		throw new Error(
			`${chromiumPath()} not found (apt-get install -y chromium, or set CHROMIUM_PATH)`,
		);
	// loaded lazily so the CLI checks run even where playwright-core is unavailable
	const { chromium } = await import('playwright-core');
	const browser = await chromium.launch({
		executablePath: chromiumPath(),
		args: CHROMIUM_ARGS,
		timeout: 60_000,
	});
	const blocked = new Set<string>();
	const pageErrors: string[] = [];
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	await context.route('**/*', (route) => {
		const url = new URL(route.request().url());
		if (
			url.protocol === 'data:' ||
			url.protocol === 'blob:' ||
			['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
		) {
			return route.continue();
		}
		blocked.add(url.origin);
		return route.abort();
	});
	context.setDefaultTimeout(UI_TIMEOUT);
	context.on('page', (page) => page.on('pageerror', (e) => pageErrors.push(e.message)));
	return {
		browser,
		context,
		blocked,
		pageErrors,
		async close() {
			if (blocked.size)
				console.log(`[browser] blocked requests to other hosts: ${[...blocked].join(', ')}`);
			if (pageErrors.length)
				console.log(`[browser] page errors: ${pageErrors.slice(0, 5).join(' | ')}`);
			await browser.close().catch(() => undefined);
		},
	};
}
