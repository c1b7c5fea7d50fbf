/**
 * examples/mcp-coding-agents.workflow.json in `n8n start`: n8n's MCP Server Trigger with the two
 * Blocks tools, reached by the official MCP TypeScript SDK's client over streamable HTTP (what
 * the trigger serves at its production URL on both tested n8n lines, beside SSE), the way an
 * editor's MCP client reaches it. Adapted for the test: Max Wait as a Tool at 5 s.
 *
 * The client lists both tools with their descriptions and input schemas; Ask a coding agent
 * answers `replied` when the agent replies within the cap and `still_working` with the reply URL
 * when it does not, and Check on a coding agent with that URL then answers the reply; a call
 * with bad arguments answers an error and creates nothing.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import type { WorkflowJson } from '../../real-n8n/workflowFiles';
import { assert, assertEqual } from '../checks';
import { sessionCreates, type ServerScenario, type ServerScenarioRun } from '../serverScenario';
import { REPLY_WHEN_TOLD, messageSentOn, replyTo } from '../testAgent';

const TRIGGER = 'MCP Server Trigger';
const ASK = 'Ask a coding agent';
const CHECK = 'Check on a coding agent';
const MAX_WAIT_AS_TOOL_SECONDS = 5;

type ToolResult = Awaited<ReturnType<Client['callTool']>>;

function adapt(example: WorkflowJson): WorkflowJson {
	const w = structuredClone(example);
	for (const node of w.nodes.filter((n) => n.name === ASK || n.name === CHECK)) {
		Object.assign(node.parameters!, {
			maxWaitAsToolSeconds: MAX_WAIT_AS_TOOL_SECONDS,
			pollIntervalSeconds: 1,
		});
	}
	return w;
}

/** The trigger's production URL: /mcp/<path>, once the workflow is active. */
function mcpUrl(run: ServerScenarioRun): URL {
	const trigger = run.workflow.nodes.find((n) => n.name === TRIGGER);
	assert(trigger, `${run.fileName} has no node "${TRIGGER}"`);
	return new URL(`${run.rest.baseUrl}/mcp/${String(trigger.parameters?.path)}`);
}

/** How n8n names a tool for MCP clients: the node's name, each run of other characters an underscore. */
const toolName = (node: string) => node.replace(/[^a-zA-Z0-9_-]+/g, '_');

/** The one answer a tool gave, parsed from the text n8n sends (the JSON of its output items). */
function answerOf(result: ToolResult): Record<string, unknown> {
	const content = result.content as Array<{ type: string; text?: string }>;
	assert(!result.isError, `the call failed: ${JSON.stringify(content)}`);
	assert(content.length === 1 && content[0].type === 'text', `content ${JSON.stringify(content)}`);
	let parsed: unknown = JSON.parse(String(content[0].text));
	if (typeof parsed === 'string') parsed = JSON.parse(parsed);
	const items = Array.isArray(parsed) ? parsed : [parsed];
	assert(items.length === 1, `the tool answered ${String(content[0].text).slice(0, 300)}`);
	return items[0] as Record<string, unknown>;
}

const threadOf = (replyUrl: unknown) => String(replyUrl).match(/\/threads\/([0-9a-f-]{36})\//)?.[1];

export const exampleMcpCodingAgents: ServerScenario = {
	workflow: { example: 'mcp-coding-agents.workflow.json' },
	adapt,

	async run(run) {
		const name = `example ${run.fileName} (MCP Server Trigger, MCP SDK client over streamable HTTP, Max Wait as a Tool ${MAX_WAIT_AS_TOOL_SECONDS} s)`;
		const client = new Client({ name: 'n8n-nodes-blocks-e2e', version: '1.0.0' });
		const connected = await run.check(`${name}: the client connects`, async () => {
			await client.connect(new StreamableHTTPClientTransport(mcpUrl(run)));
			return mcpUrl(run).pathname;
		});
		if (!connected) return;
		const call = async (node: string, args: Record<string, unknown>) => {
			const since = run.requests().length;
			const result = await client.callTool({ name: toolName(node), arguments: args });
			return { result, requests: run.requests().slice(since) };
		};
		try {
			await run.check(
				`${name}: lists both tools with their descriptions and input schemas`,
				async () => {
					const { tools } = await client.listTools();
					const byName = new Map(tools.map((tool) => [tool.name, tool]));
					for (const [node, field] of [
						[ASK, 'message'],
						[CHECK, 'reply_url'],
					]) {
						const tool = byName.get(toolName(node));
						assert(tool, `no tool ${toolName(node)} among ${[...byName.keys()].join(', ')}`);
						const described = run.workflow.nodes.find((n) => n.name === node)?.parameters
							?.toolDescription;
						assertEqual(tool.description, described, `description of ${tool.name}`);
						const property = tool.inputSchema.properties?.[field] as { type?: string } | undefined;
						assertEqual(property?.type, 'string', `type of ${tool.name}'s "${field}"`);
						assert(
							tool.inputSchema.required?.includes(field),
							`${tool.name} requires "${field}": ${JSON.stringify(tool.inputSchema)}`,
						);
					}
					return [...byName.keys()].join(', ');
				},
			);

			await run.check(
				`${name}: Ask a coding agent creates one session with the message and answers the reply`,
				async () => {
					const task = 'Add a health check endpoint to the API';
					const { result, requests } = await call(ASK, { message: task });
					const answer = answerOf(result);
					assertEqual(answer.status, 'replied', `status (${JSON.stringify(answer)})`);
					assertEqual(answer.reply, replyTo(task), 'reply');
					assertEqual(messageSentOn(threadOf(answer.reply_url) ?? ''), task, 'message sent');
					assertEqual(sessionCreates(requests, run.apiKey).length, 1, 'sessions created');
					return `${requests.length} requests to Blocks`;
				},
			);

			await run.check(
				`${name}: a reply slower than the cap answers still_working with the reply URL; Check on a coding agent with it answers the reply`,
				async () => {
					const task = `Upgrade the test framework. ${REPLY_WHEN_TOLD}`;
					const reply = 'The test framework is upgraded and every test passes.';
					const asked = await call(ASK, { message: task });
					const stillWorking = answerOf(asked.result);
					assertEqual(
						stillWorking.status,
						'still_working',
						`status (${JSON.stringify(stillWorking)})`,
					);
					const thread = threadOf(stillWorking.reply_url);
					assert(thread, `reply_url ${String(stillWorking.reply_url)}`);
					assertEqual(sessionCreates(asked.requests, run.apiKey).length, 1, 'sessions created');
					run.emulator.finishTurn(thread, reply);
					const checked = await call(CHECK, { reply_url: stillWorking.reply_url });
					const answer = answerOf(checked.result);
					assertEqual(
						answer.status,
						'replied',
						`status after the check (${JSON.stringify(answer)})`,
					);
					assertEqual(answer.reply, reply, 'reply after the check');
					assertEqual(
						sessionCreates(checked.requests, run.apiKey).length,
						0,
						'sessions created by the check',
					);
					return `ask: ${asked.requests.length} requests, check: ${checked.requests.length}`;
				},
			);

			await run.check(
				`${name}: a call with bad arguments answers an error the client can show, and creates nothing`,
				async () => {
					const { result, requests } = await call(ASK, { task: 'no message field' });
					const content = result.content as Array<{ type: string; text?: string }>;
					assert(
						result.isError === true,
						`isError ${String(result.isError)}: ${JSON.stringify(content)}`,
					);
					const text = content.map((part) => part.text ?? '').join(' ');
					assert(text.trim() !== '', 'an error without text');
					assertEqual(sessionCreates(requests, run.apiKey).length, 0, 'sessions created');
					return text.slice(0, 120);
				},
			);
		} finally {
			await client.close();
		}
	},
};
