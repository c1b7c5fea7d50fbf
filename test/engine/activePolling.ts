import { Container } from '@n8n/di';
import { PollContext } from 'n8n-core';
// Not exported from the package root; n8n's own ActiveWorkflows polls through it.
import { TriggersAndPollers } from 'n8n-core/dist/execution-engine/triggers-and-pollers';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { engineAdditionalData, registryFor, type RunOptions } from './runWorkflow';

export type PollingOptions = Pick<
	RunOptions,
	'workflow' | 'nodeTypes' | 'credentialTypes' | 'credentials'
> & {
	/** The polling trigger's node name. */
	triggerNode: string;
};

/** What one poll cycle did: the items it emitted (null when the node returned null). */
export type PollOutcome = INodeExecutionData[] | null;

/**
 * A workflow with a polling trigger, active the way n8n keeps one: one `Workflow` object for as
 * long as it is active, polled through n8n-core's own `TriggersAndPollers.runPoll` with a real
 * `PollContext` (mode `trigger`), its static data kept in memory between polls.
 *
 * n8n writes static data to its database only when a poll emits items (before it starts the
 * execution) and when the workflow is deactivated; `saved` is that database copy, and
 * `restart()` builds the workflow again from it, as n8n does when it starts up. Emitted items are
 * recorded rather than run through the rest of the workflow: tests assert on what fired.
 */
export class ActivePollingWorkflow {
	/** The static data as n8n's database holds it. */
	saved: IDataObject;
	/** Every poll's emitted items, in order (polls that returned null add nothing). */
	readonly emitted: INodeExecutionData[][] = [];

	private readonly workflow: Workflow;
	private readonly node: INode;

	private constructor(
		private readonly options: PollingOptions,
		saved: IDataObject,
	) {
		this.saved = saved;
		this.workflow = new Workflow({
			id: options.workflow.id ?? 'test-polling',
			name: options.workflow.name,
			nodes: options.workflow.nodes,
			connections: options.workflow.connections,
			settings: options.workflow.settings,
			active: true,
			nodeTypes: registryFor(options.nodeTypes),
			staticData: structuredClone(saved),
		});
		const node = this.workflow.getNode(options.triggerNode);
		if (!node) throw new Error(`No node "${options.triggerNode}" in the workflow`);
		this.node = node;
	}

	/**
	 * Activates the workflow as n8n does: the first poll runs at once, and its error (if any)
	 * fails the activation. `saved` is static data from an earlier activation.
	 */
	static async activate(
		options: PollingOptions,
		saved: IDataObject = {},
		activation: WorkflowActivateMode = 'activate',
	): Promise<{ active: ActivePollingWorkflow; first: PollOutcome }> {
		const active = new ActivePollingWorkflow(options, saved);
		const first = await active.runPoll('trigger', activation);
		return { active, first };
	}

	/** One scheduled poll. n8n records a poll's error as a failed execution; here it rejects. */
	async poll(): Promise<PollOutcome> {
		return await this.runPoll('trigger', 'activate');
	}

	/** Deactivation: n8n saves the static data once more. Returns the saved copy. */
	deactivate(): IDataObject {
		this.save();
		return this.saved;
	}

	/** n8n stopped without deactivating (a crash, a restart) and started again from its database. */
	async restart(): Promise<{ active: ActivePollingWorkflow; first: PollOutcome }> {
		return await ActivePollingWorkflow.activate(this.options, this.saved, 'init');
	}

	private async runPoll(
		mode: WorkflowExecuteMode,
		activation: WorkflowActivateMode,
	): Promise<PollOutcome> {
		let emitted: INodeExecutionData[][] | undefined;
		const context = new PollContext(
			this.workflow,
			this.node,
			engineAdditionalData(this.options),
			mode,
			activation,
			(data) => {
				this.save();
				emitted = data;
			},
		);
		const response = await Container.get(TriggersAndPollers).runPoll(
			this.workflow,
			this.node,
			context,
		);
		// n8n emits whatever the poll returned unless it is null.
		if (response !== null) context.__emit(response);
		if (!emitted) return null;
		this.emitted.push(emitted[0] ?? []);
		return emitted[0] ?? [];
	}

	/** n8n saves static data only when it changed, then clears the change mark. */
	private save() {
		const data = this.workflow.staticData;
		if (data.__dataChanged !== true) return;
		const copy = JSON.parse(JSON.stringify(data)) as IDataObject;
		delete copy.__dataChanged;
		this.saved = copy;
		data.__dataChanged = false;
	}
}
