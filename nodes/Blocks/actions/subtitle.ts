import type { INodeProperties } from 'n8n-workflow';

/**
 * The node's subtitle on the canvas: the chosen operation's action label, the one the node
 * creator lists it by ("Create a session"), read from the resources' Operation fields.
 */
export function subtitleOf(properties: INodeProperties[]): string {
	const labels: Record<string, string> = {};
	for (const property of properties) {
		if (property.name !== 'operation') continue;
		for (const resource of property.displayOptions?.show?.resource ?? []) {
			for (const option of property.options ?? []) {
				if ('value' in option && option.action)
					labels[`${String(resource)}:${String(option.value)}`] = option.action;
			}
		}
	}
	return `={{ ${JSON.stringify(labels)}[$parameter["resource"] + ":" + $parameter["operation"]] }}`;
}
