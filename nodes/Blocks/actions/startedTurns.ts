import type { INodeExecutionData, NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { StartedTurn } from './operation';

/**
 * A node that fails without Continue On Fail outputs nothing, while every session it created and
 * every message it sent goes on in Blocks; running the node again would create or send them all
 * again. So its error's description lists each such turn, by item, with its session and reply
 * URL, to be picked up with Wait for Reply instead.
 *
 * A send the stop cut short (another item failed, or the execution was cancelled, while Blocks
 * had not answered it yet) may have started a turn all the same: it is listed with what to check.
 *
 * Items that had their reply are listed too, marked "replied", without the reply itself: Blocks
 * keeps the final message, so Wait for Reply on the same URL returns it at its first poll, while
 * replies copied into an error (up to a mebibyte each, per item) would swamp n8n's error view and
 * the execution's record.
 */
export function namingStartedTurns<E extends NodeApiError | NodeOperationError>(
	error: E,
	turns: Array<StartedTurn | undefined>,
	replied: Array<INodeExecutionData[] | undefined>,
	cutShort: Array<string | undefined>,
): E {
	const startedLines = turns.flatMap((turn, itemIndex) => {
		if (!turn) return [];
		const state = replied[itemIndex]?.[0]?.json.status === 'replied' ? 'replied' : 'no reply yet';
		const where = turn.replyUrl ? `reply URL ${turn.replyUrl}` : 'no reply link given';
		return [`- item ${itemIndex}: session ${turn.sessionId}, ${state}, ${where}`];
	});
	const cutShortLines = cutShort.flatMap((check, itemIndex) =>
		check ? [`- item ${itemIndex}: its send was cut short before Blocks answered. ${check}`] : [],
	);
	const sections: Array<[heading: string, lines: string[]]> = [
		[
			`This node had started ${startedLines.length === 1 ? 'a turn' : `${startedLines.length} turns`} in Blocks when it stopped; they go on there and their items' output is lost. Pick each up with Wait for Reply on its reply URL rather than running this node again, which would start them again:`,
			startedLines,
		],
		[
			'The stop cut short sends Blocks had not answered yet, which may have started a turn all the same:',
			cutShortLines,
		],
	];
	const listed = sections
		.filter(([, lines]) => lines.length)
		.map(([heading, lines]) => [heading, ...lines].join('\n'));
	if (!listed.length) return error;
	const started = listed.join('\n\n');
	error.description = error.description ? `${error.description}\n\n${started}` : started;
	return error;
}
