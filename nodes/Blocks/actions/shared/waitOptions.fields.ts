import type { INodeProperties } from 'n8n-workflow';

import { streamProgressOption } from './progress.fields';
import { replyExtrasOptions } from './replyExtras.fields';

/**
 * The options of every wait, defined once. On Create Session and Send Message they sit in the
 * node's Options collection and show only with Wait for Reply on (`/` reads the field at the
 * node's top level); Wait for Reply gets an Options collection of its own.
 */
export function waitOptions(onlyWhenWaitingIsOn: boolean): INodeProperties[] {
	const displayOptions = onlyWhenWaitingIsOn ? { show: { '/waitForReply': [true] } } : undefined;
	return [...replyExtrasOptions(), streamProgressOption].map((option) => ({
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
