import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ToolAnswer } from './tool/toolAnswers';

/** One output item: its JSON, and the files it carries as n8n binary data. */
export interface OutputItem {
	json: IDataObject;
	binary?: IBinaryKeyData;
}

/**
 * What one input item ends as, whatever the operation: the items it outputs and the output they
 * go to, and what it says to the AI Agent's model when the node runs as a tool, where it answers
 * with that one item on the first output instead (tool/toolAnswers.ts).
 */
export interface ItemResult {
	items: OutputItem[];
	/** The first output (Replied) unless a wait routed a time-out to Still Working (outputs.ts). */
	output?: number;
	toolAnswer(): ToolAnswer;
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

/** One input item as the router hands it to an operation. */
export interface ItemRun {
	itemIndex: number;
	/** Aborted when the execution is cancelled or, without Continue On Fail, another item fails. */
	signal: AbortSignal;
	/**
	 * Told Blocks' answer to the item's send the moment it arrives, with the turn it started:
	 * should the node fail later, its error names that turn, and a tool's failed wait tells the
	 * model where the reply will be.
	 */
	sent(answer: IDataObject, turn: StartedTurn | undefined): void;
	/**
	 * Told when all that is left of the item is a wait: the router then starts the next item's
	 * request, so items are sent one after another, in order, while their waits run side by side.
	 */
	waitStarts(): void;
}

/**
 * One operation: the fields it shows and what it does with one item. The router owns the item
 * loop, pairing, `continueOnFail`, cancellation and the tool form, so an operation is "this
 * item in, this result out" and throws to fail the item.
 */
export interface BlocksOperation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, item: ItemRun): Promise<ItemResult>;
	/** How many items may be sent at once (read once per run); one when absent. */
	sendConcurrency?(this: IExecuteFunctions): number;
}
