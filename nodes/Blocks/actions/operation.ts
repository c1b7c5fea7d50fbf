import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** Output items that carry files (n8n binary data) beside their JSON. */
export class FileItems {
	constructor(readonly items: Array<{ json: IDataObject; binary?: IBinaryKeyData }>) {}
}

/** What one input item becomes: one output item, or several (one per message listed). */
export type ItemResult = IDataObject | IDataObject[] | FileItems;

/** A result for an output other than the first (see outputs.ts). */
export class OnOutput {
	constructor(
		readonly output: number,
		readonly result: ItemResult,
	) {}
}

/** What an item ends as: a result for the first output, or for the output named. */
export type OperationResult = ItemResult | OnOutput;

/**
 * An item whose request is sent and whose reply is still to be waited for. The router sends
 * items one after another, in order, but lets their waits run side by side.
 */
export class PendingReply {
	constructor(
		readonly wait: () => Promise<OperationResult>,
		/** Blocks' answer to the send the wait follows, when there was one. */
		readonly sent?: IDataObject,
	) {}
}

/**
 * A turn an item started in Blocks (a session created, a message sent): what the node's error
 * names should the node fail before its items are out (startedTurns.ts).
 */
export interface StartedTurn {
	sessionId: string;
	/** The link its reply will be at, as items give it (`reply_url`), when Blocks gave one. */
	replyUrl?: string;
}

/** Told by an operation the moment its item has started a turn. */
export type OnTurnStarted = (turn: StartedTurn) => void;

/**
 * One operation: the fields it shows and what it does with one item. The router owns the item
 * loop, pairing, `continueOnFail` and cancellation, so an operation is "this item in, this
 * result out" and throws to fail the item.
 */
export interface BlocksOperation {
	description: INodeProperties[];
	execute(
		this: IExecuteFunctions,
		itemIndex: number,
		signal: AbortSignal,
		onTurnStarted?: OnTurnStarted,
	): Promise<OperationResult | PendingReply>;
	/** How many items may be sent at once (read once per run); one when absent. */
	sendConcurrency?(this: IExecuteFunctions): number;
}
