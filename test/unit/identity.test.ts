import {
	NODE_NAME,
	NODE_TYPE,
	PACKAGE_NAME,
	TRIGGER_NODE_NAME,
	TRIGGER_NODE_TYPE,
} from '../../nodes/Blocks/identity';
import { Blocks } from '../../nodes/Blocks/Blocks.node';
import { BlocksTrigger } from '../../nodes/Blocks/BlocksTrigger.node';
import packageJson from '../../package.json';

describe('the node type saved workflows refer to', () => {
	test('is the package name and the node name', () => {
		expect(PACKAGE_NAME).toBe(packageJson.name);
		expect(new Blocks().description.name).toBe(NODE_NAME);
		expect(NODE_TYPE).toBe('n8n-nodes-blocks.blocks');
	});
});

describe('the trigger type saved workflows refer to', () => {
	test('is the package name and the trigger’s name, and the package lists the trigger', () => {
		expect(new BlocksTrigger().description.name).toBe(TRIGGER_NODE_NAME);
		expect(TRIGGER_NODE_TYPE).toBe('n8n-nodes-blocks.blocksTrigger');
		expect(packageJson.n8n.nodes).toContain('dist/nodes/Blocks/BlocksTrigger.node.js');
	});
});
