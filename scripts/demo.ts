/**
 * `npm run demo`: runs examples/conversation.workflow.json (create a session, wait for the
 * reply, send a follow-up, wait again) through n8n's execution engine and prints the
 * conversation. Against the local Blocks API emulator by default; against Blocks itself when
 * BLOCKS_API_KEY is set (BLOCKS_BASE_URL picks another deployment). It says what it ran and
 * where the replies come from, then where to go next.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { BlocksApi } from '../credentials/BlocksApi.credentials';
import { BlocksEmulator } from '../emulator';
import {
	nodeError,
	nodeOutput,
	runWorkflow,
	shutdownEngine,
	type WorkflowJson,
} from '../test/engine';
import { Blocks } from '../nodes/Blocks/Blocks.node';
import { NODE_TYPE } from '../nodes/Blocks/identity';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLE = path.join(ROOT, 'examples/conversation.workflow.json');

const FACTS: Record<string, string> = {
	octopus: 'Hello! Fun fact: an octopus has three hearts, and two of them stop while it swims.',
	cuttlefish:
		'Cuttlefish see polarised light and change colour in under a second, though they are colour-blind.',
};

const NEXT_STEPS = `Next:
- Install the node into your n8n: README.md, "Installation" (npm run build && npm pack, then install the tarball).
- Import examples/conversation.workflow.json, or any workflow of examples/, in n8n (Workflows > Import from File).
- Point a Blocks API credential at the emulator (npm run emulator), or open a ready n8n editor (npm run dev).
- Run this demo against Blocks itself: BLOCKS_API_KEY=<your key> npm run demo.
- The manual: docs/operations.md, and docs/waiting.md for long turns.`;

async function main() {
	const workflow = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as WorkflowJson;
	const realKey = process.env.BLOCKS_API_KEY;
	const emulator = realKey
		? undefined
		: await BlocksEmulator.start({
				// A scripted agent that takes a moment, as a real one would.
				agent: (turn) => ({
					reply: /cuttlefish/i.test(turn.message) ? FACTS.cuttlefish : FACTS.octopus,
					delayMs: 1_500,
				}),
			});
	const credential = realKey
		? { apiKey: realKey, baseUrl: process.env.BLOCKS_BASE_URL ?? 'https://api.blocks.team' }
		: { apiKey: emulator!.apiKey, baseUrl: emulator!.url };
	console.log(
		[
			`Running ${path.relative(ROOT, EXAMPLE)} (create a session, wait for the reply, send a follow-up, wait again)`,
			"through n8n's own execution engine (n8n-core) with this package's Blocks node,",
			emulator
				? `against the local Blocks API emulator at ${credential.baseUrl}: the replies come from the emulator's scripted agent, not a real coding agent.`
				: `against the Blocks API at ${credential.baseUrl} with your BLOCKS_API_KEY: the replies are a real agent's.`,
			'',
		].join('\n'),
	);

	try {
		const started = Date.now();
		const run = await runWorkflow({
			workflow,
			nodeTypes: { [NODE_TYPE]: new Blocks() },
			credentialTypes: { blocksApi: new BlocksApi() },
			credentials: { blocksApi: credential },
		});
		const failed = workflow.nodes.find((node) => nodeError(run, node.name));
		if (failed) throw new Error(`${failed.name}: ${nodeError(run, failed.name)?.message}`);

		const turns: Array<[string, string]> = [
			['Create Session', 'Wait for Reply'],
			['Send Follow-up', 'Wait for Follow-up Reply'],
		];
		for (const [sendNode, waitNode] of turns) {
			const sent = workflow.nodes.find((node) => node.name === sendNode)?.parameters.message;
			const [reply] = nodeOutput(run, waitNode);
			console.log(`You:    ${String(sent)}`);
			console.log(`Agent:  ${String(reply.json.reply)}`);
			console.log(
				`        (${reply.json.status} after ${reply.json.waited_ms} ms, ${reply.json.polls} polls, session ${reply.json.session_id})\n`,
			);
		}
		const requests = emulator ? `, ${emulator.stats().requests} API requests` : '';
		console.log(`Workflow finished in ${Date.now() - started} ms${requests}.\n`);
		console.log(NEXT_STEPS);
	} finally {
		await emulator?.close();
		shutdownEngine();
	}
}

main().catch((error: Error) => {
	console.error(`Demo failed: ${error.message}`);
	process.exitCode = 1;
});
