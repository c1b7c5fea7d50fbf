import type { IDataObject } from 'n8n-workflow';

/**
 * What a message item is (docs/blocks-api.md §3.4): its kinds, who wrote it, and its place in
 * time. Every listing, filter and field of the node takes these from here.
 */

/** The kinds of message items a listing holds and can be filtered by. */
export const MESSAGE_TYPES = ['final_message', 'message', 'tool_call'] as const;

export type MessageType = (typeof MESSAGE_TYPES)[number];

/** The role of the agent's messages; the user's are `user`. */
export const AGENT_ROLE = 'assistant';

const ROLES_BY_CHOICE: Record<string, string[]> = {
	assistant: [AGENT_ROLE],
	user: ['user'],
	any: ['user', AGENT_ROLE],
};

/**
 * The roles a Role field's choice asks for, `assistant`, `user` or `any` (both, §14.12), or
 * undefined for anything else.
 */
export function rolesOfChoice(choice: unknown): string[] | undefined {
	return typeof choice === 'string' && Object.prototype.hasOwnProperty.call(ROLES_BY_CHOICE, choice)
		? ROLES_BY_CHOICE[choice]
		: undefined;
}

/** A message's place in time, in epoch seconds: its `ts`, or its `created_at` when it has none. */
export function messageTime(item: IDataObject): number {
	if (typeof item.ts === 'number' && Number.isFinite(item.ts)) return item.ts;
	return (Date.parse(String(item.created_at ?? '')) || 0) / 1000;
}

/**
 * Oldest first whatever the deployment's default order (§14.6): by `ts`, or by `created_at` for
 * items whose `ts` is null (§14.11). Ties keep the order given (the sort is stable).
 */
export function byTime(a: IDataObject, b: IDataObject): number {
	return messageTime(a) - messageTime(b);
}
