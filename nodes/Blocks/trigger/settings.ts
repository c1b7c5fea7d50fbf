import type { IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MESSAGE_TYPES, rolesOfChoice } from '../helpers/messages';
import { UUID } from '../helpers/validation';

/** What the Blocks Trigger watches, read from its fields and checked before any request. */
export interface TriggerSettings {
	sessionIds: string[];
	types: string[];
	roles: string[];
	includeExisting: boolean;
}

/** Each session costs two requests per poll; this keeps a minute's polls well inside a key's 100. */
export const MAX_SESSIONS = 20;

function fieldError(context: IPollFunctions, message: string, description?: string) {
	return new NodeOperationError(context.getNode(), message, { description });
}

function preview(value: unknown): string {
	const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Session IDs one per line or comma-separated, or an array from an expression. */
function readSessionIds(context: IPollFunctions): string[] {
	const value: unknown = context.getNodeParameter('sessionIds', '');
	const parts = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(/[\s,]+/).filter(Boolean)
			: undefined;
	if (!parts) {
		throw fieldError(context, `Session IDs must be text or a list, got ${preview(value)}`);
	}
	const ids = parts.map((part) => {
		const id = typeof part === 'string' ? part.trim() : part;
		if (typeof id !== 'string' || !UUID.test(id)) {
			throw fieldError(
				context,
				`Session IDs must be UUIDs, got "${preview(part)}"`,
				'Put one session ID per line, such as a196cec6-49cb-4c48-8e4c-2707fb5d6709.',
			);
		}
		return id.toLowerCase();
	});
	const unique = [...new Set(ids)];
	if (unique.length === 0) {
		throw fieldError(context, 'Session IDs is empty', 'Give the sessions to watch, one per line.');
	}
	if (unique.length > MAX_SESSIONS) {
		throw fieldError(
			context,
			`Session IDs lists ${unique.length} sessions; the trigger watches at most ${MAX_SESSIONS}`,
			'Each session takes two requests per poll from the key’s 100 a minute. Split them over several triggers with their own keys.',
		);
	}
	return unique;
}

export function readTriggerSettings(context: IPollFunctions): TriggerSettings {
	const types: unknown = context.getNodeParameter('messageTypes', ['final_message']);
	const typeList = Array.isArray(types) ? types : [types];
	if (typeList.length === 0) {
		throw fieldError(context, 'Message Types is empty', 'Choose at least one kind of message.');
	}
	const known: readonly unknown[] = MESSAGE_TYPES;
	const unknownType = typeList.find((type) => !known.includes(type));
	if (unknownType !== undefined) {
		throw fieldError(
			context,
			`Message Types must be among ${MESSAGE_TYPES.join(', ')}, got "${preview(unknownType)}"`,
		);
	}
	const role = context.getNodeParameter('role', 'assistant') as string;
	const roles = rolesOfChoice(role);
	if (!roles) {
		throw fieldError(context, `Role must be assistant, user or any, got "${preview(role)}"`);
	}
	return {
		sessionIds: readSessionIds(context),
		types: typeList as string[],
		roles,
		includeExisting: context.getNodeParameter('includeExisting', false) === true,
	};
}
