import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requireNumberInRange } from '../../helpers/validation';
import type { WaitSettings } from '../../wait/settings';
import { isToolRun } from '../../host/toolRun';

/**
 * An agent (and the person chatting with it) does not wait minutes for one tool: n8n's own
 * tools answer within about a minute. Under that, a tool that is still waiting answers that the
 * coding agent is still working, and how to ask again.
 */
const MAX_WAIT_AS_TOOL_SECONDS = 55;
const MAX_WAIT_AS_TOOL_BOUNDS: [number, number] = [1, 3_600];

/** Shown only on the node's tool form (n8n's `@tool` display option), beside the other wait fields. */
export function maxWaitAsToolField(show: IDisplayOptions['show']): INodeProperties {
	return {
		displayName: 'Max Wait as a Tool (Seconds)',
		name: 'maxWaitAsToolSeconds',
		type: 'number',
		typeOptions: { minValue: MAX_WAIT_AS_TOOL_BOUNDS[0], maxValue: MAX_WAIT_AS_TOOL_BOUNDS[1] },
		default: MAX_WAIT_AS_TOOL_SECONDS,
		description: `The longest this tool waits for the coding agent's reply before it answers the AI Agent that the coding agent is still working, with the reply URL to ask again (default ${MAX_WAIT_AS_TOOL_SECONDS} s). Max Wait applies too: the shorter one counts.`,
		displayOptions: { show: { ...show, '@tool': [true] } },
	};
}

/**
 * The wait settings of a tool call: capped by Max Wait as a Tool, and a wait that runs out
 * answers (the still-working answer of toolAnswers.ts) instead of failing, whatever On Timeout
 * says: an agent can act on an answer, while a failure would end its run on n8n 1.x. A tool's
 * wait streams no progress, whatever Stream Progress says.
 */
export function forToolRun(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: WaitSettings,
): WaitSettings {
	if (!isToolRun(context)) return settings;
	const capSeconds = requireNumberInRange(
		context,
		context.getNodeParameter('maxWaitAsToolSeconds', itemIndex, MAX_WAIT_AS_TOOL_SECONDS),
		'Max Wait as a Tool (Seconds)',
		itemIndex,
		MAX_WAIT_AS_TOOL_BOUNDS,
	);
	return {
		...settings,
		maxWaitMs: Math.min(settings.maxWaitMs, capSeconds * 1000),
		onTimeout: 'output',
		// The model reads the tool's answer; the AI Agent streams its own answer to the chat.
		streamProgress: 'off',
	};
}
