import { Blocks } from '../../nodes/Blocks/Blocks.node';

/** The canvas subtitle is read from the resources' Operation fields (actions/subtitle.ts). */
test('every operation shows its action label as the subtitle', () => {
	const { subtitle, properties } = new Blocks().description;
	const labels = JSON.parse(/^=\{\{ (\{.*\})\[/.exec(subtitle ?? '')?.[1] ?? '{}') as Record<
		string,
		string
	>;
	const operations = properties.filter((property) => property.name === 'operation');

	expect(operations.length).toBe(3);
	for (const field of operations) {
		const [resource] = field.displayOptions?.show?.resource ?? [];
		for (const option of field.options ?? []) {
			if (!('value' in option)) continue;
			expect(labels[`${String(resource)}:${String(option.value)}`]).toBe(option.action);
			expect(option.action).toBeTruthy();
		}
	}
	expect(labels['session:create']).toBe('Create a session');
});
