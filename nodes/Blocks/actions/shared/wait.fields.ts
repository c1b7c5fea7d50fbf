import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requireNumberInRange } from '../../helpers/validation';
import { WAIT_BOUNDS, WAIT_DEFAULTS, type WaitSettings } from '../../wait/settings';

/** The "Wait for Reply" switch on Create Session and Send Message. */
export const waitForReplyToggle: INodeProperties = {
	displayName: 'Wait for Reply',
	name: 'waitForReply',
	type: 'boolean',
	default: false,
	description:
		"Whether to wait, inside this node, until the agent's reply appears and output it instead of the API's answer",
};

/** How long and how often to wait; shown on Wait for Reply and wherever waiting is on. */
export function waitSettingsFields(onlyWhenWaitingIsOn: boolean): INodeProperties[] {
	const displayOptions = onlyWhenWaitingIsOn ? { show: { waitForReply: [true] } } : undefined;
	// The defaults live once, in WAIT_DEFAULTS. They are read into plain names because n8n's
	// node-param-default-missing rule takes `default: a.b` for a missing default (and n8n's
	// scanner ignores eslint-disable comments), while it leaves a name alone.
	const { maxWaitSeconds, pollIntervalSeconds } = WAIT_DEFAULTS;
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
			description:
				'How long to wait for the reply before giving up. Coding agents often take minutes. Some n8n hosts stop executions sooner (n8n Cloud after about 5 minutes).',
			displayOptions,
		},
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
				'The steady time between checks for the reply. The first checks come sooner (after 1 s, 1.5 s, 2.25 s…) so quick replies are seen quickly. Each check is one request from the API key’s limit.',
			displayOptions,
		},
		{
			displayName: 'On Timeout',
			name: 'onTimeout',
			type: 'options',
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
			],
			default: 'error',
			description: 'What to do when no reply arrives within the max wait',
			displayOptions,
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
	const maxWaitSeconds = read('maxWaitSeconds', 'Max Wait (Seconds)');
	const pollIntervalSeconds = read('pollIntervalSeconds', 'Poll Interval (Seconds)');
	const onTimeout = context.getNodeParameter(
		'onTimeout',
		itemIndex,
		'error',
	) as IDataObject[string];
	return {
		maxWaitMs: maxWaitSeconds * 1000,
		pollIntervalMs: pollIntervalSeconds * 1000,
		onTimeout: onTimeout === 'output' ? 'output' : 'error',
	};
}
