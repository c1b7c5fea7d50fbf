import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeProperties,
} from 'n8n-workflow';

import { isToolRun } from '../../host/toolRun';
import { requireNumberInRange } from '../../helpers/validation';
import {
	DEFAULT_STREAM_PROGRESS,
	STREAM_PROGRESS_CHOICES,
	WAIT_BOUNDS,
	WAIT_DEFAULTS,
	type StreamProgress,
	type WaitSettings,
} from '../../wait/settings';

/**
 * Every field of a wait, and the one reader of them all: Create Session and Send Message show
 * them once Wait for Reply is on, Wait for Reply always. `readWaitRequest` is where an item's
 * wait is decided, the tool cap, Stream Progress and the extras included.
 */

/** What an item's wait was asked for: how to wait, and what to add once the reply is in. */
export interface WaitRequest {
	settings: WaitSettings;
	extras: ReplyExtras;
}

/** What a wait adds to its item once the reply is in (actions/shared/replyExtras.ts). */
export interface ReplyExtras {
	session: boolean;
	transcript: boolean;
}

/** The "Wait for Reply" switch on Create Session and Send Message. */
export const waitForReplyToggle: INodeProperties = {
	displayName: 'Wait for Reply',
	name: 'waitForReply',
	type: 'boolean',
	// The node's outputs follow this switch (actions/outputs.ts), so it takes no expression.
	noDataExpression: true,
	default: false,
	description:
		"Whether to wait, inside this node, until the agent's reply appears and output it instead of the API's answer",
};

/**
 * Wait for Reply's one-look mode: the rounds of a parked loop (docs/waiting.md) hold an
 * execution slot only while they check, and n8n's Wait node between them holds none.
 */
export const checkOnceField: INodeProperties = {
	displayName: 'Check Once',
	name: 'checkOnce',
	type: 'boolean',
	default: false,
	description:
		'Whether to look for the reply once and answer at once (one request, no waiting): the reply, or a "timed_out" item that goes where On Timeout says. For the rounds of a loop through n8n’s Wait node, which holds no execution slot while it waits 65 s or more.',
};

/** How long and how often to wait; shown on Wait for Reply and wherever waiting is on. */
export function waitSettingsFields(onlyWhenWaitingIsOn: boolean): INodeProperties[] {
	const displayOptions = onlyWhenWaitingIsOn ? { show: { waitForReply: [true] } } : undefined;
	// On Wait for Reply, Check Once leaves nothing to time.
	const timing = onlyWhenWaitingIsOn ? displayOptions : { hide: { checkOnce: [true] } };
	// The defaults live once, in WAIT_DEFAULTS. They are read into plain names because n8n's
	// node-param-default-missing rule takes `default: a.b` for a missing default (and n8n's
	// scanner ignores eslint-disable comments), while it leaves a name alone.
	const { maxWaitSeconds, pollIntervalSeconds, giveUpAfterSeconds } = WAIT_DEFAULTS;
	return [
		{
			displayName: 'Max Wait (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: {
				minValue: WAIT_BOUNDS.maxWaitSeconds[0],
				maxValue: WAIT_BOUNDS.maxWaitSeconds[1],
			},
			default: maxWaitSeconds,
			description: `How long this node waits for the reply (default ${maxWaitSeconds} s, under the 5 minutes after which n8n Cloud stops executions). A wait also ends a margin before the execution's own time limit when n8n states one. For longer turns, route time-outs to the Still Working output and loop.`,
			displayOptions: timing,
		},
		maxWaitAsToolField(displayOptions?.show),
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			typeOptions: {
				minValue: WAIT_BOUNDS.pollIntervalSeconds[0],
				maxValue: WAIT_BOUNDS.pollIntervalSeconds[1],
			},
			default: pollIntervalSeconds,
			description:
				'The usual time between checks for the reply. The first checks come sooner (every 1.25 s or so at 5 s) so quick replies are seen quickly, then they spread out to a fifth more than this, so a long turn costs no more checks than one every Poll Interval. Each check is one request from the API key’s limit.',
			displayOptions: timing,
		},
		{
			displayName: 'On Timeout',
			name: 'onTimeout',
			type: 'options',
			// The node's outputs follow this choice (actions/outputs.ts), so it takes no expression.
			noDataExpression: true,
			options: [
				{
					name: 'Fail the Item',
					value: 'error',
					description: 'Stop with an error (or an error item with Continue On Fail)',
				},
				{
					name: 'Output Item',
					value: 'output',
					description:
						'Emit an item with status "timed_out" and the reply URL, to wait again or branch later',
				},
				{
					name: 'Route to Still Working Output',
					value: 'stillWorking',
					description:
						'Give the node two outputs, Replied and Still Working; the "timed_out" item goes to Still Working, ready to wire back into Wait for Reply (through n8n’s Wait node to free the execution)',
				},
			],
			default: 'error',
			description: 'What to do when no reply arrives within the max wait',
			displayOptions,
		},
		{
			displayName: 'Give Up After (Seconds)',
			name: 'giveUpAfterSeconds',
			type: 'number',
			typeOptions: {
				minValue: WAIT_BOUNDS.giveUpAfterSeconds[0],
				maxValue: WAIT_BOUNDS.giveUpAfterSeconds[1],
			},
			default: giveUpAfterSeconds,
			description:
				'Total time to wait for this turn across the rounds of a loop, counted from the first round’s start, time parked between rounds included (default 86,400 s, a day). Once a round ends past it without a reply, the item fails with an error that gives the reply URL; with Continue On Fail that error item goes to the first output.',
			displayOptions: {
				show: {
					...(onlyWhenWaitingIsOn ? { waitForReply: [true] } : {}),
					onTimeout: ['output', 'stillWorking'],
				},
			},
		},
	];
}

/**
 * An agent (and the person chatting with it) does not wait minutes for one tool: n8n's own
 * tools answer within about a minute. Under that, a tool that is still waiting answers that the
 * coding agent is still working, and how to ask again.
 */
const MAX_WAIT_AS_TOOL_SECONDS = 55;
const MAX_WAIT_AS_TOOL_BOUNDS: [number, number] = [1, 3_600];

/** Shown only on the node's tool form (n8n's `@tool` display option), beside the other wait fields. */
function maxWaitAsToolField(show: IDisplayOptions['show']): INodeProperties {
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

/** How each choice reads in the editor; a Record, so a new choice cannot be left without one. */
const CHOICE_LABELS: Record<StreamProgress, { name: string; description: string }> = {
	messages: {
		name: 'Agent Messages',
		description: "The agent's messages as they appear, then its reply",
	},
	messagesAndToolCalls: {
		name: 'Agent Messages and Tool Calls',
		description: 'Also a one-line note for each tool the agent calls',
	},
	off: { name: 'Off', description: 'Stream nothing; the reply is only in the output item' },
};

/** The "Stream Progress" option of every wait (docs/streaming.md). */
const streamProgressOption: INodeProperties = {
	displayName: 'Stream Progress',
	name: 'streamProgress',
	type: 'options',
	options: STREAM_PROGRESS_CHOICES.map((value) => ({
		name: CHOICE_LABELS[value].name,
		value,
		description: CHOICE_LABELS[value].description,
	})),
	default: DEFAULT_STREAM_PROGRESS,
	description:
		'What a wait sends while the workflow streams its response (a Webhook set to Respond: Streaming, or a Chat Trigger with streaming): the agent’s new messages on the awaited turn as they appear, then its reply. Has no effect when the response is not streamed.',
};

/** The Include Session and Include Transcript options (shown by waitOptions below). */
const replyExtrasOptions: INodeProperties[] = [
	{
		displayName: 'Include Session',
		name: 'includeSession',
		type: 'boolean',
		default: false,
		description:
			'Whether to read the session once more after the reply and add its pull_requests (and pull_request_urls), plan_artifact_ids, title and session_html_url to the item: the agent’s pull requests only appear once its turn is done. One more request.',
	},
	{
		displayName: 'Include Transcript',
		name: 'includeTranscript',
		type: 'boolean',
		default: false,
		description:
			'Whether to add the turn’s transcript after the reply: the agent’s messages and tool calls on this thread, oldest first, each once. One more request per 100 messages.',
	},
];

/**
 * The options of every wait, defined once. On Create Session and Send Message they sit in the
 * node's Options collection and show only with Wait for Reply on (`/` reads the field at the
 * node's top level); Wait for Reply gets an Options collection of its own.
 */
export function waitOptions(onlyWhenWaitingIsOn: boolean): INodeProperties[] {
	const displayOptions = onlyWhenWaitingIsOn ? { show: { '/waitForReply': [true] } } : undefined;
	return [...replyExtrasOptions, streamProgressOption].map((option) => ({
		...option,
		displayOptions,
	}));
}

/** Wait for Reply's Options collection. */
export const waitOptionsCollection: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: waitOptions(false),
};

/**
 * An item's wait, read before anything is sent so a bad setting fails the item before a session
 * is created. A tool call's wait is capped by Max Wait as a Tool, and one that runs out answers
 * (the still-working answer of tool/toolAnswers.ts) instead of failing, whatever On Timeout says:
 * an agent can act on an answer, while a failure would end its run on n8n 1.x. It streams no
 * progress either: the model reads the tool's answer, the AI Agent streams its own to the chat.
 */
export function readWaitRequest(context: IExecuteFunctions, itemIndex: number): WaitRequest {
	const read = (name: keyof typeof WAIT_DEFAULTS, label: string) =>
		requireNumberInRange(
			context,
			context.getNodeParameter(name, itemIndex, WAIT_DEFAULTS[name]),
			label,
			itemIndex,
			[...WAIT_BOUNDS[name]],
		);
	const checkOnce = context.getNodeParameter('checkOnce', itemIndex, false) === true;
	const maxWaitSeconds = checkOnce ? 0 : read('maxWaitSeconds', 'Max Wait (Seconds)');
	const pollIntervalSeconds = read('pollIntervalSeconds', 'Poll Interval (Seconds)');
	const giveUpAfterSeconds = read('giveUpAfterSeconds', 'Give Up After (Seconds)');
	const onTimeout = context.getNodeParameter('onTimeout', itemIndex, 'error') as unknown;
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const streamProgress = options.streamProgress as StreamProgress | undefined;
	const settings: WaitSettings = {
		maxWaitMs: maxWaitSeconds * 1000,
		pollIntervalMs: pollIntervalSeconds * 1000,
		onTimeout: onTimeout === 'output' || onTimeout === 'stillWorking' ? onTimeout : 'error',
		giveUpAfterMs: giveUpAfterSeconds * 1000,
		streamProgress:
			streamProgress !== undefined && STREAM_PROGRESS_CHOICES.includes(streamProgress)
				? streamProgress
				: DEFAULT_STREAM_PROGRESS,
	};
	const extras = {
		session: options.includeSession === true,
		transcript: options.includeTranscript === true,
	};
	if (!isToolRun(context)) return { settings, extras };
	const capSeconds = requireNumberInRange(
		context,
		context.getNodeParameter('maxWaitAsToolSeconds', itemIndex, MAX_WAIT_AS_TOOL_SECONDS),
		'Max Wait as a Tool (Seconds)',
		itemIndex,
		MAX_WAIT_AS_TOOL_BOUNDS,
	);
	return {
		settings: {
			...settings,
			maxWaitMs: Math.min(settings.maxWaitMs, capSeconds * 1000),
			onTimeout: 'output',
			streamProgress: 'off',
		},
		extras,
	};
}
