import { NODE_NAME, NODE_TYPE, PACKAGE_NAME } from '../../nodes/Blocks/identity';
import { Blocks } from '../../nodes/Blocks/Blocks.node';
import packageJson from '../../package.json';

describe('the node type saved workflows refer to', () => {
	test('is the package name and the node name', () => {
		expect(PACKAGE_NAME).toBe(packageJson.name);
		expect(new Blocks().description.name).toBe(NODE_NAME);
		expect(NODE_TYPE).toBe('n8n-nodes-blocks.blocks');
	});
});
