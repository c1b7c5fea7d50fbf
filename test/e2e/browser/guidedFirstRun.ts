/**
 * The first run a new user makes in the editor: a new workflow, "Blocks" found in the node
 * creator by typing its name, the "Create a session" action, the credential chosen, a message
 * typed, Wait for Reply switched on, the step executed and the agent's reply read in the output
 * panel. With `docsScreenshot` set, the node panel is saved there for the README and the manual.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { assert } from '../checks';
import { replyTo } from '../testAgent';
import { NAV_TIMEOUT } from './chromium';
import type { EditorSession } from './editorSession';
import { animationsSettled, parameterLabels, visibleTexts } from './editorPage';

const NODE_NAME = 'Blocks';
const ACTION = 'Create a session';
const FIRST_MESSAGE = 'Summarise the open pull requests of this repository in three bullets.';

/** Where `npm run docs:screenshot` writes the node panel (the README shows it). */
export const DOCS_SCREENSHOT = path.join('docs', 'editor-node-panel.png');

export function guidedFirstRun(options: { docsScreenshot?: string } = {}) {
	return async (session: EditorSession): Promise<void> => {
		const { check, page, baseUrl, shot, emulator, credentialName } = session;
		const creator = page.locator('[data-test-id="node-creator"]');
		const creatorItems = creator.locator('[data-test-id="item-iterator-item"]');
		const ndv = page.locator('[data-test-id="ndv"]');

		const found = await check(
			`first run: "${NODE_NAME}" is found in the node creator by typing its name`,
			async () => {
				await page.goto(`${baseUrl}/workflow/new`, { timeout: NAV_TIMEOUT });
				// The new canvas is the first screen after navigating, and on a loaded machine n8n 1.x
				// has been seen to take longer than an action's time to let it be clicked.
				await page.locator('[data-test-id="canvas-add-button"]').click({ timeout: NAV_TIMEOUT });
				await creator.waitFor({ timeout: NAV_TIMEOUT });
				await page.locator('[data-test-id="node-creator-search-bar"]').pressSequentially(NODE_NAME);
				const item = creatorItems.filter({ hasText: NODE_NAME }).first();
				await item.waitFor();
				const shown = await visibleTexts(creatorItems);
				await item.click();
				return shown.join(' | ');
			},
		);
		if (!found) return void (await shot('first-run-1-search-failed').catch(() => undefined));

		const picked = await check(
			`first run: the "${ACTION}" action opens the node panel`,
			async () => {
				const action = creatorItems.filter({ hasText: ACTION }).first();
				// with the Blocks Trigger in the package, n8n 2.x shows the package's "Node details"
				// with its Actions section folded: unfold it as a person would
				const actionsHeader = creator.getByText(/^Actions \(\d+\)$/).first();
				await Promise.race([
					action.waitFor().catch(() => undefined),
					actionsHeader.waitFor().catch(() => undefined),
				]);
				if (!(await action.isVisible())) await actionsHeader.click();
				await action.waitFor();
				const actions = await visibleTexts(creatorItems);
				await action.click();
				await ndv.waitFor();
				await page.locator('[data-test-id="parameter-input-message"]').first().waitFor();
				return `actions offered: ${actions.join(' | ')}`;
			},
		);
		if (!picked) return void (await shot('first-run-2-action-failed').catch(() => undefined));

		await check('first run: the emulator credential is chosen', async () => {
			await chooseCredential(page, credentialName);
			const shown = await page
				.locator('[data-test-id="node-credentials-select"] input')
				.first()
				.inputValue();
			assert(shown === credentialName, `the credential field shows "${shown}"`);
			return shown;
		});

		const filled = await check(
			'first run: a message typed and Wait for Reply switched on',
			async () => {
				const message = page.locator('[data-test-id="parameter-input-message"] textarea').first();
				await message.fill(FIRST_MESSAGE);
				const toggle = page
					.locator('[data-test-id="parameter-input-waitForReply"] .el-switch')
					.first();
				await toggle.click();
				await page.locator('[data-test-id="parameter-input-maxWaitSeconds"]').first().waitFor();
				assert(
					(await toggle.getAttribute('class'))?.includes('is-checked'),
					'the Wait for Reply switch is not on',
				);
				const labels = await parameterLabels(page);
				for (const want of ['Max Wait (Seconds)', 'Poll Interval (Seconds)', 'On Timeout'])
					assert(labels.includes(want), `"${want}" not shown; labels: ${labels.join(', ')}`);
				return labels.join(', ');
			},
		);
		if (!filled) return void (await shot('first-run-3-fields-failed').catch(() => undefined));

		await check("first run: Execute step shows the agent's reply in the output panel", async () => {
			const before = emulator.stats().sessionsCreated;
			await ndv.locator('[data-test-id="node-execute-button"]').first().click();
			const reply = replyTo(FIRST_MESSAGE);
			await page
				.locator('[data-test-id="output-panel"]')
				.getByText(reply)
				.first()
				.waitFor({ timeout: 60_000 });
			const after = emulator.stats().sessionsCreated;
			assert(after === before + 1, `emulator sessions went from ${before} to ${after}`);
			await animationsSettled(page);
			await shot('first-run-4-reply');
			if (options.docsScreenshot) {
				await notificationsGone(page);
				fs.mkdirSync(path.dirname(options.docsScreenshot), { recursive: true });
				await ndv.screenshot({ path: options.docsScreenshot });
			}
			return `output shows "${reply}"`;
		});
	};
}

/** Picks a credential by name in the node panel's credential field. */
async function chooseCredential(page: Page, name: string): Promise<void> {
	const select = page.locator('[data-test-id="node-credentials-select"]').first();
	if ((await select.locator('input').first().inputValue()) === name) return;
	await select.click();
	await page.locator('.el-select-dropdown__item:visible').filter({ hasText: name }).first().click();
}

/** Waits for the editor's toasts ("Workflow executed successfully") to go: they cover the panel's corner. */
async function notificationsGone(page: Page): Promise<void> {
	await page.waitForFunction(
		() =>
			!Array.from(document.querySelectorAll('.el-notification')).some(
				(e) => (e as HTMLElement).offsetParent !== null,
			),
		undefined,
		{ timeout: 20_000 },
	);
}
