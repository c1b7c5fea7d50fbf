import type {
	EngineRequest,
	EngineResponse,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	ITaskData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/**
 * n8n's AI Agent and its tools, as far as a tool can tell, for runs through n8n-core's engine
 * (the langchain nodes are not a dependency of this package).
 *
 * - `asAiTool` makes the tool form n8n makes of a `usableAsTool` node: the same class under the
 *   type name with "Tool" appended, no main input, one `ai_tool` output, and a Description field.
 * - `scriptedAgent` calls its tools as n8n's AI Agent (v3) does: it answers the engine with a
 *   request to run a tool node with the model's arguments, and the engine runs that node as a
 *   node of the workflow (its `$fromAI()` expressions read those arguments) and calls the agent
 *   again with the node's run. What the model would read is the JSON of the tool's first output,
 *   or `{ error }` when the tool failed, as n8n's agent builds it.
 * - `subNodeAgent` calls the same tools the other way n8n has: as LangChain tools.
 */

export const AI_AGENT_TYPE = '@n8n/n8n-nodes-langchain.agent';

export function asAiTool(nodeType: INodeType): INodeType {
	const base = nodeType.description;
	const description: INodeTypeDescription = {
		...base,
		name: `${base.name}Tool`,
		displayName: `${base.displayName} Tool`,
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
		properties: [
			{
				displayName: 'Description',
				name: 'toolDescription',
				type: 'string',
				default: base.description,
			},
			...base.properties,
		],
	};
	return Object.create(nodeType, { description: { value: description } }) as INodeType;
}

/** One tool call the scripted model makes: the tool node's name and the arguments it chose. */
interface ToolCall {
	tool: string;
	args: IDataObject;
}

/** A call made, with what the model read back: the parsed tool result. */
export interface ToolCallSeen extends ToolCall {
	result: unknown;
}

/** The model: given the calls so far and their results, the next call, or undefined to stop. */
export type AgentScript = (seen: ToolCallSeen[]) => ToolCall | undefined;

interface ScriptState {
	seen: ToolCallSeen[];
}

/** The AI Agent node type for a run: its model follows `script`. */
export function scriptedAgent(script: AgentScript): INodeType {
	const description: INodeTypeDescription = {
		displayName: 'AI Agent',
		name: 'agent',
		group: ['transform'],
		version: [3, 3.1],
		description: 'Calls its tools as a scripted model decides',
		defaults: { name: 'AI Agent' },
		inputs: [NodeConnectionTypes.Main, { type: NodeConnectionTypes.AiTool, displayName: 'Tool' }],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};
	// n8n calls `execute` with the context as `this`, so the script is reached by closure.
	async function execute(
		this: IExecuteFunctions,
		response?: EngineResponse<ScriptState>,
	): Promise<INodeExecutionData[][] | EngineRequest<ScriptState>> {
		const seen = [
			...(response?.metadata?.seen ?? []),
			...(response?.actionResponses ?? []).map(({ action, data }): ToolCallSeen => ({
				tool: action.nodeName,
				args: action.input,
				result: whatTheModelReads(data),
			})),
		];
		const next = script(seen);
		if (!next) return [[{ json: { seen } as unknown as IDataObject }]];
		return {
			actions: [
				{
					actionType: 'ExecutionNodeAction',
					nodeName: next.tool,
					input: next.args,
					type: NodeConnectionTypes.AiTool,
					id: `call_${seen.length + 1}`,
					metadata: { seen },
				},
			],
			metadata: { seen },
		};
	}
	return { description, execute } as INodeType;
}

/**
 * The same model behind the other way n8n hands tools to a node (agents before v3, and other
 * nodes that take tools): the agent asks for its tool sub-nodes, gets them as LangChain tools
 * made by n8n-core (`createNodeAsTool`), and invokes them; each call runs the tool node's
 * `execute` in a sub-node context whose input is the model's arguments.
 */
export function subNodeAgent(script: AgentScript): INodeType {
	const description: INodeTypeDescription = {
		...scriptedAgent(script).description,
		version: [1, 2],
	};
	async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const tools = (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as Array<{
			metadata?: { sourceNodeName?: string };
			invoke(args: IDataObject): Promise<string>;
		}>;
		const seen: ToolCallSeen[] = [];
		for (let next = script(seen); next; next = script(seen)) {
			const call = next;
			const tool = tools.find((t) => t.metadata?.sourceNodeName === call.tool);
			if (!tool) throw new Error(`No tool "${call.tool}" is connected to the agent`);
			let result: unknown;
			try {
				result = JSON.parse(await tool.invoke(call.args)) as unknown;
			} catch (error) {
				result = { error: (error as Error).message };
			}
			seen.push({ ...call, result });
		}
		return [[{ json: { seen } as unknown as IDataObject }]];
	}
	return { description, execute } as INodeType;
}

function whatTheModelReads(run: ITaskData): unknown {
	const items = run.data?.[NodeConnectionTypes.AiTool]?.[0]?.map((item) => item.json);
	if (items?.length) return items;
	if (run.error) return { error: run.error.message };
	return '';
}
