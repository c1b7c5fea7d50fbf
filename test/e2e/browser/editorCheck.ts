/**
 * The imported conversation workflow in the editor, as a person sees it: the Blocks icon on the
 * canvas, the fields and operation lists in the node panel, and one step run from the editor
 * against the emulator.
 */
import { httpRequest } from '../../support/http';
import { assert } from '../checks';
import { scenarioWorkflow } from '../scenario';
import { conversation } from '../scenarios/conversation';
import { NAV_TIMEOUT, UI_TIMEOUT } from './chromium';
import type { EditorSession } from './editorSession';
import { closeNodePanel, dropdownOptions, parameterLabels } from './editorPage';
import { NODE_TYPE } from '../../../nodes/Blocks/identity';

/** A Blocks node (Session > Create) and one (Message > Get Many) of the conversation fixture. */
const CREATE_NODE = 'Create Session';
const LIST_NODE = 'Get Two Replies';

export async function checkImportedWorkflow(session: EditorSession): Promise<void> {
	const { check, page, baseUrl, shot, emulator, credentialName } = session;
	const { workflow } = scenarioWorkflow(conversation);
	const createParameters = workflow.nodes.find((n) => n.name === CREATE_NODE)?.parameters;
	// the emulator titles a session with the first line of its message
	const expectedOutputText = String(createParameters?.message ?? '').split('\n')[0];

	const createNode = page.locator(`[data-test-id="canvas-node"][data-node-name="${CREATE_NODE}"]`);
	const opened = await check(
		'imported workflow opens with the Blocks nodes on the canvas',
		async () => {
			await page.goto(`${baseUrl}/workflow/${workflow.id}`, { timeout: NAV_TIMEOUT });
			await createNode.waitFor({ timeout: NAV_TIMEOUT });
			const types = await page
				.locator('[data-test-id="canvas-node"]')
				.evaluateAll((els) => els.map((e) => e.getAttribute('data-node-type')));
			const blocks = types.filter((t) => t === NODE_TYPE).length;
			assert(blocks >= 2, `expected Blocks nodes on the canvas, node types: ${types.join(', ')}`);
			return `${blocks} Blocks nodes (${NODE_TYPE})`;
		},
	);
	if (!opened) {
		await shot('1-canvas-failed').catch(() => undefined);
		return;
	}

	await check('node icon renders (the package SVG, loaded)', async () => {
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
		const res = await httpRequest('GET', `${baseUrl}${info.src}`);
		assert(
			res.status === 200 && res.text.includes('<svg'),
			`GET ${info.src} answered ${res.status}`,
		);
		return info.src;
	});
	await shot('1-canvas');

	const panelOpen = await check('node panel shows the Create Session fields', async () => {
		await createNode.dblclick();
		await page.locator('[data-test-id="ndv"]').waitFor();
		await page.locator('[data-test-id="parameter-input-operation"]').first().waitFor();
		const labels = await parameterLabels(page);
		// 2.x labels the credential field "Credential", 1.x "Credential to connect with"
		assert(
			labels.some((l) => l.startsWith('Credential')),
			`no credential field; labels: ${labels.join(', ')}`,
		);
		for (const want of ['Resource', 'Operation', 'Agent', 'Message', 'Wait for Reply', 'Options']) {
			assert(labels.includes(want), `field "${want}" missing; labels: ${labels.join(', ')}`);
		}
		const credText = await page
			.locator('[data-test-id="node-credentials-select"]')
			.first()
			.evaluate(
				(el) => `${el.querySelector('input')?.value ?? ''} ${(el as HTMLElement).innerText}`,
			);
		assert(
			credText.includes(credentialName),
			`credential "${credentialName}" not selected (shows "${credText.trim()}")`,
		);
		return labels
			.filter(
				(l) =>
					!['Always Output Data', 'Execute Once', 'Retry On Fail', 'On Error', 'Notes'].includes(l),
			)
			.join(', ');
	});
	await shot('2-node-panel');

	if (panelOpen) {
		await check('Resource offers Session and Message', async () => {
			const options = await dropdownOptions(page, 'resource');
			for (const want of ['Session', 'Message'])
				assert(options.includes(want), `"${want}" missing from ${options.join(', ')}`);
			return options.join(', ');
		});
		await check('Operation offers Create, Get, Send Message, Wait for Reply', async () => {
			const options = await dropdownOptions(page, 'operation', () => shot('3-operations'));
			for (const want of ['Create', 'Get', 'Send Message', 'Wait for Reply']) {
				assert(options.includes(want), `"${want}" missing from ${options.join(', ')}`);
			}
			return options.join(', ');
		});
		await check('Execute step in the editor creates a session on the emulator', async () => {
			const before = emulator.stats().sessionsCreated;
			await page
				.locator('[data-test-id="ndv"] [data-test-id="node-execute-button"]')
				.first()
				.click();
			const output = page.locator('[data-test-id="output-panel"]');
			await output.getByText(expectedOutputText).first().waitFor({ timeout: 60_000 });
			const after = emulator.stats().sessionsCreated;
			assert(after === before + 1, `emulator sessions went from ${before} to ${after}`);
			return `output shows "${expectedOutputText}"`;
		});
		await shot('4-executed');
	}
	await closeNodePanel(page);

	await check('node panel shows the Message > Get Many fields', async () => {
		const listNode = page.locator(`[data-test-id="canvas-node"][data-node-name="${LIST_NODE}"]`);
		await listNode.dblclick();
		await page.locator('[data-test-id="ndv"]').waitFor();
		await page.locator('[data-test-id="parameter-input-sessionId"]').first().waitFor();
		const labels = await parameterLabels(page);
		for (const want of ['Resource', 'Operation', 'Session ID', 'Return All', 'Limit', 'Filters']) {
			assert(labels.includes(want), `field "${want}" missing; labels: ${labels.join(', ')}`);
		}
		await shot('5-message-get-many');
		return 'Session ID, Thread ID, Return All, Limit, Filters';
	});
}
