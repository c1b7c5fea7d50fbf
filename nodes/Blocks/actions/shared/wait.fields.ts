import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requireNumberInRange } from '../../helpers/validation';
import { WAIT_BOUNDS, WAIT_DEFAULTS, type WaitSettings } from '../../wait/settings';
import { forToolRun, maxWaitAsToolField } from '../tool/toolWait';
import { readStreamProgress } from './progress.fields';

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
		'Whether to look for the reply once and answer at once (one request, no waiting): the reply, or a "timed_out" item that goes where On Timeout says. For the rounds of a loop through n8n’s Wait node, which holds no execution slot while it waits: set it to 66 s or more (at exactly 65 s n8n may keep the execution running).',
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

export function readWaitSettings(context: IExecuteFunctions, itemIndex: number): WaitSettings {
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
	return forToolRun(context, itemIndex, {
		maxWaitMs: maxWaitSeconds * 1000,
		pollIntervalMs: pollIntervalSeconds * 1000,
		onTimeout: onTimeout === 'output' || onTimeout === 'stillWorking' ? onTimeout : 'error',
		giveUpAfterMs: giveUpAfterSeconds * 1000,
		streamProgress: readStreamProgress(context, itemIndex),
	});
}
