import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Reads node fields and rejects bad values before any request is made, with an error that
 * names the field and the item. Values arrive from expressions too, so types are checked here
 * rather than trusted from the field's declared type.
 */

export const UUID_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const UUID = new RegExp(`^${UUID_PATTERN}$`, 'i');

/** Blocks documents no maximum (docs/blocks-api.md §14.24); this guard catches runaway expressions. */
const MAX_MESSAGE_CHARS = 100_000;

function preview(value: unknown): string {
	const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function invalidField(
	context: IExecuteFunctions,
	label: string,
	itemIndex: number,
	problem: string,
	description?: string,
): NodeOperationError {
	return new NodeOperationError(context.getNode(), `${label} ${problem} (item ${itemIndex})`, {
		itemIndex,
		description,
	});
}

export function requireUuid(
	context: IExecuteFunctions,
	value: unknown,
	label: string,
	itemIndex: number,
): string {
	if (typeof value !== 'string' || !value.trim()) {
		throw invalidField(context, label, itemIndex, 'is empty', `Provide the ${label} as a UUID.`);
	}
	const id = value.trim();
	if (!UUID.test(id)) {
		throw invalidField(
			context,
			label,
			itemIndex,
			`must be a UUID, got "${preview(id)}"`,
			'Blocks IDs look like a196cec6-49cb-4c48-8e4c-2707fb5d6709.',
		);
	}
	return id.toLowerCase();
}

export function readUuid(
	context: IExecuteFunctions,
	parameter: string,
	label: string,
	itemIndex: number,
): string {
	return requireUuid(context, context.getNodeParameter(parameter, itemIndex, ''), label, itemIndex);
}

export function readMessage(context: IExecuteFunctions, itemIndex: number): string {
	const value = context.getNodeParameter('message', itemIndex, '');
	if (typeof value !== 'string') {
		throw invalidField(context, 'Message', itemIndex, `must be text, got ${preview(value)}`);
	}
	if (!value.trim()) {
		throw invalidField(
			context,
			'Message',
			itemIndex,
			'is empty',
			'Blocks needs a message to start a turn.',
		);
	}
	if (value.length > MAX_MESSAGE_CHARS) {
		throw invalidField(
			context,
			'Message',
			itemIndex,
			`is ${value.length} characters long; the node sends at most ${MAX_MESSAGE_CHARS}`,
		);
	}
	return value;
}

/** A list of UUIDs typed as "a, b" or given as an array by an expression. */
export function requireUuidList(
	context: IExecuteFunctions,
	value: unknown,
	label: string,
	itemIndex: number,
): string[] {
	if (value === undefined || value === null || value === '') return [];
	const parts = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value
					.split(',')
					.map((part) => part.trim())
					.filter(Boolean)
			: undefined;
	if (!parts) {
		throw invalidField(context, label, itemIndex, `must be a list of UUIDs, got ${preview(value)}`);
	}
	return parts.map((part) => requireUuid(context, part, label, itemIndex));
}

export function requireNumberInRange(
	context: IExecuteFunctions,
	value: unknown,
	label: string,
	itemIndex: number,
	[min, max]: [number, number],
): number {
	const number = typeof value === 'string' && value.trim() ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number)) {
		throw invalidField(context, label, itemIndex, `must be a number, got ${preview(value)}`);
	}
	if (number < min || number > max) {
		throw invalidField(
			context,
			label,
			itemIndex,
			`must be between ${min} and ${max}, got ${number}`,
		);
	}
	return number;
}
