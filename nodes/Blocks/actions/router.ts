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
import { sendCutShortOf } from '../transport/errors';
import { asNodeError } from '../wait/waitErrors';
import { artifactOperations } from './artifact/Artifact.resource';
import { messageOperations } from './message/Message.resource';
import type { BlocksOperation, ItemResult, ItemRun, OutputItem, StartedTurn } from './operation';
import { outputsFor, outputsOfNode, REPLIED_OUTPUT } from './outputs';
import { sessionOperations } from './session/Session.resource';
import { namingStartedTurns } from './startedTurns';
import { failedAnswer } from './tool/toolAnswers';

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
	const operation = operations[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" is not supported for "${resource}"`,
		);
	}

	// Called by n8n's AI Agent: the same operation, each item answering the model with one item on
	// the first output (tool/toolAnswers.ts). As that is the only output a tool has, the model may
	// still set the fields that shape the outputs ($fromAI is an expression).
	const toolRun = isToolRun(this);
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
	const settled: Array<Promise<void>> = [];
	const startedTurns: Array<StartedTurn | undefined> = new Array(items.length);
	const sentAnswers: Array<IDataObject | undefined> = new Array(items.length);
	const cutShortSends: Array<string | undefined> = new Array(items.length);
	let failure: NodeApiError | NodeOperationError | undefined;

	const place = (itemIndex: number, output: number, entries: OutputItem[]) => {
		outputs[Math.min(output, outputs.length - 1)][itemIndex] = entries.map((entry) => ({
			...entry,
			pairedItem: { item: itemIndex },
		}));
	};
	const succeed = (itemIndex: number, result: ItemResult) => {
		if (toolRun) place(itemIndex, REPLIED_OUTPUT, [{ json: result.toolAnswer() }]);
		else place(itemIndex, result.output ?? REPLIED_OUTPUT, result.items);
	};
	const fail = (itemIndex: number, error: unknown) => {
		// Once the run is stopping (cancelled, or another item failed) an item's error only says
		// that it was stopped: it is not the item's own outcome, nor an answer for a model.
		if (toolRun && !signal.aborted) {
			// A tool's failure is an answer too: on n8n 1.x a tool's error ends the agent's whole
			// run, on 2.x the model gets only its message (not its hint), and a thrown error is what
			// Retry On Fail repeats, which after a send would send again.
			place(itemIndex, REPLIED_OUTPUT, [{ json: failedAnswer(error, sentAnswers[itemIndex]) }]);
			return;
		}
		const nodeError = asNodeError(this.getNode(), error, itemIndex);
		if (this.continueOnFail() && !signal.aborted) {
			outputs[REPLIED_OUTPUT][itemIndex] = [
				continuedItem(this.getNode(), errorJson(nodeError), nodeError, itemIndex),
			];
			return;
		}
		cutShortSends[itemIndex] = sendCutShortOf(nodeError);
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

	// Resolves once the item's request is done: when only its wait is left, or when it ended.
	const runItem = (itemIndex: number) =>
		new Promise<void>((sendDone) => {
			const item: ItemRun = {
				itemIndex,
				signal: signalForItem(),
				sent: (answer, turn) => {
					sentAnswers[itemIndex] = answer;
					startedTurns[itemIndex] = turn;
				},
				waitStarts: sendDone,
			};
			settled.push(
				operation.execute
					.call(this, item)
					.then(
						(result) => succeed(itemIndex, result),
						(error: unknown) => fail(itemIndex, error),
					)
					.finally(sendDone),
			);
		});
	// Up to `sendConcurrency` items are sent at once, always started in item order.
	let nextItem = 0;
	const sender = async () => {
		while (nextItem < items.length && !signal.aborted) await runItem(nextItem++);
	};
	const senders = Math.min(items.length, operation.sendConcurrency?.call(this) ?? 1);
	await Promise.all(Array.from({ length: senders }, sender));
	await Promise.all(settled);
	signal.removeEventListener('abort', stopItems);

	// Without the node's output, the error is where the user finds the turns it started.
	const naming = (error: NodeApiError | NodeOperationError) =>
		namingStartedTurns(error, startedTurns, outputs[REPLIED_OUTPUT], cutShortSends);
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
