import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { WaitOutcome } from '../../wait/outcome';
import {
	FileItems,
	OnOutput,
	PendingReply,
	type BlocksOperation,
	type ItemResult,
	type OnTurnStarted,
	type OperationResult,
} from '../operation';
import {
	artifactsAnswer,
	failedAnswer,
	messagesAnswer,
	sentAnswer,
	sessionAnswer,
	waitAnswer,
} from './toolAnswers';

/**
 * An operation as the AI Agent's tool: the same request and wait, answered for a model
 * (toolAnswers.ts). Everything goes to the first output, the only one n8n hands the model.
 * A failure becomes an answer rather than an error: on n8n 1.x a tool's error ends the agent's
 * whole run, on 2.x the model gets only its message (not its hint), and a thrown error is what
 * Retry On Fail repeats, which after a send would send again. Only a cancelled execution still
 * throws.
 */
export function asTool(operation: BlocksOperation): BlocksOperation {
	return {
		...operation,
		async execute(
			this: IExecuteFunctions,
			itemIndex: number,
			signal: AbortSignal,
			onTurnStarted?: OnTurnStarted,
		) {
			let result: OperationResult | PendingReply;
			try {
				result = await operation.execute.call(this, itemIndex, signal, onTurnStarted);
			} catch (error) {
				return failedUnlessCancelled(error, signal, undefined);
			}
			if (!(result instanceof PendingReply)) return answerFor(onFirstOutput(result));
			const { wait, sent } = result;
			return new PendingReply(async () => {
				try {
					return waitAnswer(onFirstOutput(await wait()) as WaitOutcome, sent);
				} catch (error) {
					return failedUnlessCancelled(error, signal, sent);
				}
			}, sent);
		},
	};
}

function onFirstOutput(result: OperationResult): ItemResult {
	return result instanceof OnOutput ? result.result : result;
}

/**
 * One compact answer for whatever the operation gave: a send without a wait the started answer,
 * a read (Get, Get Many, the artifact operations) what it found. The Blocks record a send
 * answers carries a reply link; a session read with Get never does (docs/blocks-api.md §3.2).
 */
function answerFor(result: ItemResult): ItemResult {
	if (result instanceof FileItems) return artifactsAnswer(result.items.map((item) => item.json));
	if (Array.isArray(result)) return messagesAnswer(result);
	return sentAnswer(result) ?? sessionAnswer(result);
}

function failedUnlessCancelled(
	error: unknown,
	signal: AbortSignal,
	sent: IDataObject | undefined,
): IDataObject {
	if (signal.aborted) throw error;
	return failedAnswer(error, sent);
}
