import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	INodeTypeDescription,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/** The type name n8n gives its Manual Trigger, which workflows made in n8n start from. */
export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';

/**
 * Stands in for n8n's Manual Trigger (n8n-nodes-base is not a dependency of this package): it
 * passes on the items the run starts with, so example workflows made in n8n run unchanged and
 * a test can start a workflow with several items.
 */
class ManualTriggerStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'When clicking ‘Execute workflow’',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Starts the workflow with the run’s input items',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/**
 * Stands in for n8n nodes that example workflows use around the Blocks node and that only pass
 * items on as far as this engine is concerned: No Operation, and the Wait node (which in n8n
 * parks the execution; here it passes items on at once, since there is no database to park in).
 */
class PassThroughStandIn implements INodeType {
	description: INodeTypeDescription;

	constructor(name: string, displayName: string) {
		this.description = {
			displayName,
			name,
			group: ['transform'],
			version: [1, 1.1],
			description: 'Passes its input items on unchanged',
			defaults: { name: displayName },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/** Stands in for n8n's sticky notes: on the canvas only, never run. */
class StickyNoteStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sticky Note',
		name: 'stickyNote',
		group: ['input'],
		version: 1,
		description: 'A note on the canvas',
		defaults: { name: 'Sticky Note' },
		inputs: [],
		outputs: [],
		properties: [],
	};
}

/** The stand-ins every run knows, by the type names n8n gives the real nodes. */
export function standInNodeTypes(): Record<string, INodeType> {
	return {
		[MANUAL_TRIGGER_TYPE]: new ManualTriggerStandIn(),
		'n8n-nodes-base.noOp': new PassThroughStandIn('noOp', 'No Operation, do nothing'),
		'n8n-nodes-base.wait': new PassThroughStandIn('wait', 'Wait'),
		'n8n-nodes-base.stickyNote': new StickyNoteStandIn(),
	};
}

/** n8n's node registry for a run: type name → node class instance. */
export class NodeTypeRegistry implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType>) {}

	getByName(name: string): INodeType | IVersionedNodeType {
		return this.getByNameAndVersion(name);
	}

	getByNameAndVersion(name: string): INodeType {
		const type = this.types[name];
		if (!type) throw new Error(`Unknown node type in workflow: ${name}`);
		return type;
	}

	getKnownTypes() {
		return {};
	}
}
