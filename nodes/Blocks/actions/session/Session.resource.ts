import type { INodeProperties } from 'n8n-workflow';

import { create } from './create.operation';
import { get } from './get.operation';
import { sendMessage } from './sendMessage.operation';
import { waitForReplyOperation } from './waitForReply.operation';

export const sessionOperations = {
	create,
	sendMessage,
	get,
	waitForReply: waitForReplyOperation,
};

export const sessionDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['session'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Start a session: send the first message to a coding agent',
				action: 'Create a session',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a session’s details: title, pull requests, links',
				action: 'Get a session',
			},
			{
				name: 'Send Message',
				value: 'sendMessage',
				description: 'Send a follow-up message; it interrupts the agent if it is still working',
				action: 'Send a message to a session',
			},
			{
				name: 'Wait for Reply',
				value: 'waitForReply',
				description: 'Wait until the agent replies to a message, then output the reply',
				action: 'Wait for a reply',
			},
		],
		default: 'create',
	},
	...create.description,
	...sendMessage.description,
	...get.description,
	...waitForReplyOperation.description,
];
