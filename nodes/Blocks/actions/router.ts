import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type NodeApiError,
} from 'n8n-workflow';

import { continuedItem } from '../host/errorOutput';
import { isToolRun } from '../host/toolRun';
import { CancelledError } from '../time';
import { asNodeError } from '../wait/waitErrors';
import { artifactOperations } from './artifact/Artifact.resource';
import { messageOperations } from './message/Message.resource';
import {
	FileItems,
	OnOutput,
	PendingReply,
	type BlocksOperation,
	type OperationResult,
	type StartedTurn,
} from './operation';
import { outputsFor, outputsOfNode, REPLIED_OUTPUT } from './outputs';
import { sessionOperations } from './session/Session.resource';
import { namingStartedTurns } from './startedTurns';
import { asTool } from './tool/asTool';

const operations: Record<string, Record<string, BlocksOperation>> = {
	session: sessionOperations,
	message: messageOperations,
	artifact: artifactOperations,
};

/**
 * The one item loop. Items are sent in input order (one at a time unless the operation allows
 * more), so N items make N requests in a predictable order; the waits they start run side by
 * side, paced by the key's rate budget. Every output item is paired with its input item, on
 * whichever of the node's outputs (outputs.ts) it goes to.
 * Without "Continue On Fail" the first failure stops the other items' waits before the error
 * is thrown, so nothing keeps polling after the node ends; the error then names every turn the
 * node started, whose items' output is lost with it.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const found = operations[resource]?.[operationName];
	if (!found) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" is not supported for "${resource}"`,
		);
	}

	// Called by n8n's AI Agent: the same operation, answering for a model (actions/tool/). A
	// tool answers on the first output whatever its fields say, so there the model may still set
	// them ($fromAI is an expression).
	const toolRun = isToolRun(this);
	const operation = toolRun ? asTool(found) : found;
	const outputCount = (toolRun ? outputsFor(this.getNode().parameters) : outputsOfNode(this))
		.length;

	const stop = new AbortController();
	const cancelled = this.getExecutionCancelSignal?.();
	const signal = cancelled ? AbortSignal.any([cancelled, stop.signal]) : stop.signal;
	// One slot per input item on each output, filled as items finish, so every output keeps
	// input order however the waits end.
	const outputs = Array.from(
		{ length: outputCount },
		(): INodeExecutionData[][] => new Array(items.length),
	);
	const waits: Array<Promise<void>> = [];
	const startedTurns: Array<StartedTurn | undefined> = new Array(items.length);
	let failure: NodeApiError | NodeOperationError | undefined;

	const succeed = (itemIndex: number, routed: OperationResult) => {
		const { output, result } =
			routed instanceof OnOutput ? routed : { output: REPLIED_OUTPUT, result: routed };
		const entries =
			result instanceof FileItems
				? result.items
				: (Array.isArray(result) ? result : [result]).map((json) => ({ json }));
		outputs[Math.min(output, outputs.length - 1)][itemIndex] = entries.map((entry) => ({
			...entry,
			pairedItem: { item: itemIndex },
		}));
	};
	const fail = (itemIndex: number, error: unknown) => {
		const nodeError = asNodeError(this.getNode(), error, itemIndex);
		// Once the run is stopping (cancelled, or another item failed) an item's error only says
		// that it was stopped: it is not the item's own outcome.
		if (this.continueOnFail() && !signal.aborted) {
			outputs[REPLIED_OUTPUT][itemIndex] = [
				continuedItem(this.getNode(), errorJson(nodeError), nodeError, itemIndex),
			];
			return;
		}
		failure ??= nodeError;
		stop.abort();
	};

	// Each item gets a signal of its own, all stopped by one listener: hundreds of waits then add
	// nothing to the execution's signal, whose listener limit n8n versions set differently.
	const itemStops: AbortController[] = [];
	const stopItems = () => itemStops.forEach((itemStop) => itemStop.abort());
	signal.addEventListener('abort', stopItems, { once: true });
	const signalForItem = () => {
		const itemStop = new AbortController();
		itemStops.push(itemStop);
		if (signal.aborted) itemStop.abort();
		return itemStop.signal;
	};

	const runItem = async (itemIndex: number) => {
		try {
			const result = await operation.execute.call(this, itemIndex, signalForItem(), (turn) => {
				startedTurns[itemIndex] = turn;
			});
			if (result instanceof PendingReply) {
				waits.push(
					result.wait().then(
						(reply) => succeed(itemIndex, reply),
						(error) => fail(itemIndex, error),
					),
				);
			} else {
				succeed(itemIndex, result);
			}
		} catch (error) {
			fail(itemIndex, error);
		}
	};
	// Up to `sendConcurrency` items are sent at once, always started in item order.
	let nextItem = 0;
	const sender = async () => {
		while (nextItem < items.length && !signal.aborted) await runItem(nextItem++);
	};
	const senders = Math.min(items.length, operation.sendConcurrency?.call(this) ?? 1);
	await Promise.all(Array.from({ length: senders }, sender));
	await Promise.all(waits);
	signal.removeEventListener('abort', stopItems);

	// Without the node's output, the error is where the user finds the turns it started.
	const naming = (error: NodeApiError | NodeOperationError) =>
		namingStartedTurns(error, startedTurns, outputs[REPLIED_OUTPUT]);
	if (failure) throw naming(failure);
	if (cancelled?.aborted) throw naming(asNodeError(this.getNode(), new CancelledError(), 0));
	return outputs.map((output) => output.flat());
}

function errorJson(error: Error): IDataObject {
	const { description, httpCode } = error as NodeApiError;
	return {
		error: error.message,
		...(description ? { description } : {}),
		...(httpCode ? { http_code: httpCode } : {}),
	};
}
