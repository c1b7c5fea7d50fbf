import type { INodeProperties } from 'n8n-workflow';

import { MESSAGE_ROLE_OPTIONS, MESSAGE_TYPE_OPTIONS } from '../actions/shared/fields';
import { MAX_SESSIONS } from './settings';

/** The Blocks Trigger's fields; n8n adds its own Poll Times field above them. */
export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Session IDs',
		name: 'sessionIds',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'a196cec6-49cb-4c48-8e4c-2707fb5d6709',
		description: `The sessions to watch, one ID per line (or an expression giving a list), at most ${MAX_SESSIONS}`,
	},
	{
		displayName: 'Message Types',
		name: 'messageTypes',
		type: 'multiOptions',
		options: MESSAGE_TYPE_OPTIONS,
		default: ['final_message'],
		description: 'Which kinds of messages fire the trigger',
	},
	{
		displayName: 'Role',
		name: 'role',
		type: 'options',
		options: MESSAGE_ROLE_OPTIONS,
		default: 'assistant',
		description:
			'Whose messages fire the trigger. "Agent and User" needs a current Blocks deployment.',
	},
	{
		displayName: 'Include Existing Messages',
		name: 'includeExisting',
		type: 'boolean',
		default: false,
		description:
			'Whether the first poll after activation also fires for the messages already in the sessions. Off: only messages that arrive later fire.',
	},
];
