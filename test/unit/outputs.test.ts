import type { INodeParameters } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { blocksNode } from '../engine';
import { NodeTypeRegistry } from '../engine/nodeTypes';
import { Blocks } from '../../nodes/Blocks/Blocks.node';
import { NODE_TYPE } from '../../nodes/Blocks/identity';

/** The outputs n8n itself computes for a Blocks node with these parameters. */
function outputsAsN8nSeesThem(parameters: INodeParameters) {
	const blocks = new Blocks();
	const node = blocksNode('Blocks', parameters);
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new NodeTypeRegistry({ [NODE_TYPE]: blocks }),
	});
	// The Workflow fills in the defaults of parameters left out, as in a saved workflow.
	return NodeHelpers.getNodeOutputs(workflow, workflow.getNode('Blocks')!, blocks.description);
}

const bothOutputs = [
	{ type: 'main', displayName: 'Replied' },
	{ type: 'main', displayName: 'Still Working' },
];

describe('the node’s outputs, evaluated by n8n from the description’s expression', () => {
	test.each<[string, INodeParameters, unknown[]]>([
		['Create, defaults', {}, [{ type: 'main' }]],
		[
			'Wait for Reply with Still Working',
			{ operation: 'waitForReply', onTimeout: 'stillWorking' },
			bothOutputs,
		],
		[
			'Wait for Reply with Output Item',
			{ operation: 'waitForReply', onTimeout: 'output' },
			[{ type: 'main' }],
		],
		['Wait for Reply, defaults', { operation: 'waitForReply' }, [{ type: 'main' }]],
		[
			'Create waiting, with Still Working',
			{ operation: 'create', waitForReply: true, onTimeout: 'stillWorking' },
			bothOutputs,
		],
		[
			'Send Message waiting, with Still Working',
			{ operation: 'sendMessage', waitForReply: true, onTimeout: 'stillWorking' },
			bothOutputs,
		],
		[
			'Create not waiting (a Still Working choice left behind does not count)',
			{ operation: 'create', waitForReply: false, onTimeout: 'stillWorking' },
			[{ type: 'main' }],
		],
		['Get Many Messages', { resource: 'message', operation: 'getAll' }, [{ type: 'main' }]],
	])('%s', (_name, parameters, expected) => {
		expect(outputsAsN8nSeesThem({ resource: 'session', ...parameters })).toEqual(expected);
	});
});

test('the fields that shape the outputs offer no expression, on every operation that has them', () => {
	const shaping = new Blocks().description.properties.filter((property) =>
		['waitForReply', 'onTimeout'].includes(property.name),
	);
	expect(shaping.map((property) => property.name).sort()).toEqual([
		'onTimeout', // Create, Send Message, Wait for Reply
		'onTimeout',
		'onTimeout',
		'waitForReply', // Create, Send Message
		'waitForReply',
	]);
	for (const property of shaping) expect(property.noDataExpression).toBe(true);
});
