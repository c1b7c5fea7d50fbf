/** What a person does in n8n's editor, as Playwright steps: sign in, read fields, open lists. */
import type { Locator, Page } from 'playwright-core';
import type { Owner } from '../../real-n8n/owner';
import { NAV_TIMEOUT, UI_TIMEOUT } from './chromium';

/** Signs in on /signin; returns the path the editor landed on. */
export async function signIn(page: Page, baseUrl: string, owner: Owner): Promise<string> {
	await page.goto(`${baseUrl}/signin`, { timeout: NAV_TIMEOUT });
	await page
		.locator('input[name="emailOrLdapLoginId"], input[name="email"]')
		.first()
		.fill(owner.email);
	await page.locator('input[name="password"]').fill(owner.password);
	await page.locator('[data-test-id="form-submit-button"]').click();
	await page.waitForURL((u) => !u.pathname.includes('/signin'), { timeout: NAV_TIMEOUT });
	return new URL(page.url()).pathname;
}

/** The first line of each visible element's text. */
export async function visibleTexts(locator: Locator): Promise<string[]> {
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

/** Waits until no popper (dropdown, tooltip) is still animating, so a screenshot shows it settled. */
export async function animationsSettled(page: Page): Promise<void> {
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
}

/** Opens an options parameter's dropdown, returns the option names shown, and closes it again. */
export async function dropdownOptions(
	page: Page,
	parameter: string,
	onOpen?: () => Promise<unknown>,
): Promise<string[]> {
	await waitForOpenOptions(page, false);
	const select = page.locator(`[data-test-id="parameter-input-${parameter}"]`).first();
	await select.click();
	await waitForOpenOptions(page, true);
	await animationsSettled(page);
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

export async function closeNodePanel(page: Page): Promise<void> {
	const ndv = page.locator('[data-test-id="ndv"]');
	if (!(await ndv.isVisible())) return;
	const close = page.locator('[data-test-id="ndv-close-button"]').first();
	if (await close.isVisible()) await close.click();
	else await page.keyboard.press('Escape');
	await ndv.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The labels of the node's parameters (not of the input/output panes or the hover toggles). */
export async function parameterLabels(page: Page): Promise<string[]> {
	const params = page.locator('[data-test-id="ndv"] [data-test-id="node-parameters"]');
	const scope = (await params.count()) > 0 ? params.first() : page.locator('[data-test-id="ndv"]');
	const labels = await visibleTexts(scope.locator('label, .n8n-input-label'));
	return labels.filter((l) => !['Fixed', 'Expression', 'Schema', 'Table', 'JSON'].includes(l));
}
