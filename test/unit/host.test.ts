/**
 * What the node assumes about n8n beyond its documented interface (nodes/Blocks/host/), checked
 * against the n8n-workflow of each n8n line the package is tested on, so that an n8n upgrade
 * that breaks one shows here and not only in the end-to-end suite:
 *   n8n-workflow-1     1.120.31, the one n8n 1.123.81 ships
 *   n8n-workflow       2.11.1, the engine tests' line (n8n-core 2.11.1)
 *   n8n-workflow-2.41  2.41.0, the one n8n 2.41.1 ships (installed without isolated-vm's native
 *                      build, which needs Node 24: package.json allowScripts; nothing here
 *                      evaluates an expression, the only use n8n-workflow has for it)
 * The signatures the node calls are checked at compile time (`npm run typecheck:test`), the
 * behaviour it reads at run time. What n8n-core does with them (error routing, streaming the
 * response, the tool run) is n8n-core's and runs in the engine and end-to-end suites.
 */
import type * as Workflow1 from 'n8n-workflow-1';
import * as workflow1 from 'n8n-workflow-1';
import type * as Workflow2 from 'n8n-workflow';
import * as workflow2 from 'n8n-workflow';
import type * as Workflow241 from 'n8n-workflow-2.41';
import * as workflow241 from 'n8n-workflow-2.41';

import type { continuedItem } from '../../nodes/Blocks/host/errorOutput';
import type { StreamingHost } from '../../nodes/Blocks/host/responseStream';
import { hostSleepOf, type SleepExports } from '../../nodes/Blocks/host/sleep';
import { isToolType } from '../../nodes/Blocks/host/toolRun';

const lines = [
	['n8n 1.123.81 (n8n-workflow 1.120.31)', workflow1],
	['engine (n8n-workflow 2.11.1)', workflow2],
	['n8n 2.41.1 (n8n-workflow 2.41.0)', workflow241],
] as const;

// Compile-time: a line whose types drop or change what the node calls fails `typecheck:test`.
type Holds<T extends true> = T;
type Calls<F> =
	F extends Required<StreamingHost>
		? 'begin' | 'item' | 'end' extends Parameters<F['sendChunk']>[0]
			? true
			: false
		: false;
/** The setting's value, and an item's `error` holding the line's own node errors. */
type ErrorOutputOf<
	Node extends { onError?: unknown },
	Item extends { error?: unknown },
	NodeErrors,
> = 'continueErrorOutput' extends Node['onError']
	? NodeErrors extends Item['error']
		? 'error' extends keyof ReturnType<typeof continuedItem>
			? true
			: false
		: false
	: false;
export type Checked = [
	Holds<Calls<Workflow1.IExecuteFunctions>>,
	Holds<Calls<Workflow2.IExecuteFunctions>>,
	Holds<Calls<Workflow241.IExecuteFunctions>>,
	Holds<
		ErrorOutputOf<
			Workflow1.INode,
			Workflow1.INodeExecutionData,
			Workflow1.NodeApiError | Workflow1.NodeOperationError
		>
	>,
	Holds<
		ErrorOutputOf<
			Workflow2.INode,
			Workflow2.INodeExecutionData,
			Workflow2.NodeApiError | Workflow2.NodeOperationError
		>
	>,
	Holds<
		ErrorOutputOf<
			Workflow241.INode,
			Workflow241.INodeExecutionData,
			Workflow241.NodeApiError | Workflow241.NodeOperationError
		>
	>,
];

describe.each(lines)('what the node assumes of %s', (_line, workflow) => {
	test('its sleep stops when the signal aborts (host/sleep.ts)', async () => {
		jest.useFakeTimers();
		try {
			const { sleep, sliceMs } = hostSleepOf(workflow as SleepExports);
			expect(sliceMs).toBe(Number.POSITIVE_INFINITY);

			const stop = new AbortController();
			let settled = false;
			const sleeping = sleep(3_600_000, stop.signal).then(
				() => (settled = true),
				() => (settled = true),
			);
			await Promise.resolve();
			expect(settled).toBe(false);
			// No timer is advanced: only the abort can end it (a sleep that ignored the signal
			// would never settle, and the test time out).
			stop.abort();
			await sleeping;
			expect(settled).toBe(true);
		} finally {
			jest.useRealTimers();
		}
	});

	test('a node type ending in "Tool" is the tool form, as its @tool display option says (host/toolRun.ts)', () => {
		const toolOnly = { displayOptions: { show: { '@tool': [true] } } };
		const shown = (name: string) =>
			workflow.NodeHelpers.displayParameter({}, toolOnly as never, null, { name } as never);

		expect(shown('blocksTool')).toBe(true);
		expect(shown('blocks')).toBe(false);
		expect(isToolType('n8n-nodes-blocks.blocksTool')).toBe(true);
		expect(isToolType('n8n-nodes-blocks.blocks')).toBe(false);
	});
});

test('a sleep that takes no signal is taken in slices of a second (host/sleep.ts)', () => {
	const plain = { sleep: async (_ms: number) => undefined };

	expect(hostSleepOf(plain).sliceMs).toBe(1_000);
});
