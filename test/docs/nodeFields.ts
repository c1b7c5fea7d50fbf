import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

import { BlocksApi } from '../../credentials/BlocksApi.credentials';
import { Blocks } from '../../nodes/Blocks/Blocks.node';
import { BlocksTrigger } from '../../nodes/Blocks/BlocksTrigger.node';

/**
 * A field as the manual names it: its display name (a collection's option after the
 * collection's, as `Options › Title`) and its parameter name.
 */
export interface Field {
	displayName: string;
	name: string;
}

export const fieldKey = (field: Field): string => `${field.displayName} (\`${field.name}\`)`;

/** What is not a field a user fills in: the resource and operation pickers, and notices. */
function isField(property: INodeProperties): boolean {
	return (
		property.type !== 'notice' && property.name !== 'resource' && property.name !== 'operation'
	);
}

function fieldsOf(properties: INodeProperties[], prefix = ''): Field[] {
	return properties.filter(isField).flatMap((property) => {
		const own = { displayName: `${prefix}${property.displayName}`, name: property.name };
		const children = (property.options ?? []).flatMap((option) =>
			'values' in option
				? fieldsOf(
						(option as INodePropertyCollection).values,
						`${own.displayName} › ${option.displayName} › `,
					)
				: 'type' in option
					? fieldsOf([option as INodeProperties], `${own.displayName} › `)
					: [],
		);
		return property.type === 'collection' || property.type === 'fixedCollection' ? children : [own];
	});
}

/** n8n adds Poll Times to every polling trigger; the trigger's description does not list it. */
const N8N_POLL_TIMES: Field = { displayName: 'Poll Times', name: 'pollTimes' };

/** Every field of the node, the trigger and the credential, once each. */
export function allFields(): Field[] {
	const trigger = new BlocksTrigger().description;
	const fields = [
		...fieldsOf(new Blocks().description.properties),
		...fieldsOf(trigger.properties),
		...(trigger.polling ? [N8N_POLL_TIMES] : []),
		...fieldsOf(new BlocksApi().properties),
	];
	return [...new Map(fields.map((field) => [fieldKey(field), field])).values()];
}

/** Every `Resource › Operation` of the node, by display name. */
export function allOperations(): string[] {
	const properties = new Blocks().description.properties;
	const resources = properties.find((property) => property.name === 'resource')?.options as
		INodePropertyOptions[] | undefined;
	return (resources ?? []).flatMap((resource) => {
		const picker = properties.find(
			(property) =>
				property.name === 'operation' &&
				property.displayOptions?.show?.resource?.includes(resource.value),
		);
		return ((picker?.options ?? []) as INodePropertyOptions[]).map(
			(operation) => `${resource.name} › ${operation.name}`,
		);
	});
}

export const TRIGGER_NAME = new BlocksTrigger().description.displayName;
