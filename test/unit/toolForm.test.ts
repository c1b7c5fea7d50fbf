import type { INode, INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { asAiTool } from '../engine';
import { Blocks } from '../../nodes/Blocks/Blocks.node';

const blocks = new Blocks();
const tool = asAiTool(blocks);

/** Whether the editor shows Max Wait as a Tool for these parameters on this form of the node. */
function showsMaxWaitAsTool(form: 'node' | 'tool', parameters: INodeParameters): boolean {
	const description = (form === 'tool' ? tool : blocks).description;
	const field = description.properties.find(
		(property) =>
			property.name === 'maxWaitAsToolSeconds' &&
			NodeHelpers.displayParameter(parameters, property, { typeVersion: 1 } as INode, description),
	);
	return field !== undefined;
}

describe('Max Wait as a Tool', () => {
	test('is shown on the tool form wherever a wait is, and never on the node itself', () => {
		const waitForReply = { resource: 'session', operation: 'waitForReply' };
		const createAndWait = { resource: 'session', operation: 'create', waitForReply: true };
		const sendAndWait = { resource: 'session', operation: 'sendMessage', waitForReply: true };

		for (const parameters of [waitForReply, createAndWait, sendAndWait]) {
			expect(showsMaxWaitAsTool('tool', parameters)).toBe(true);
			expect(showsMaxWaitAsTool('node', parameters)).toBe(false);
		}
		expect(showsMaxWaitAsTool('tool', { ...createAndWait, waitForReply: false })).toBe(false);
		expect(showsMaxWaitAsTool('tool', { resource: 'session', operation: 'get' })).toBe(false);
	});
});
