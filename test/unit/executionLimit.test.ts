import { executionEndsAt } from '../../nodes/Blocks/host/executionLimit';
import { context, NOW } from './executionContext';

const MINUTE = 60_000;

describe('when n8n will stop the execution', () => {
	test.each<[string, Parameters<typeof context>[0], number | undefined]>([
		['nothing known', {}, undefined],
		['the engine’s timestamp', { timestamp: NOW + 30_000 }, NOW + 30_000],
		[
			'"Timeout Workflow" counted from the first node’s start',
			{ executionTimeout: 30, startTimes: [NOW - 4_000, NOW - 1_000] },
			NOW + 26_000,
		],
		[
			'"Timeout Workflow" without run data: counted from now',
			{ executionTimeout: 30 },
			NOW + 30_000,
		],
		['the sooner of both', { timestamp: NOW + 50_000, executionTimeout: 30 }, NOW + 30_000],
		['"Timeout Workflow" off (-1)', { executionTimeout: -1 }, undefined],
		['a timestamp that is not a number', { timestamp: 'soon' }, undefined],
		['an n8n without getWorkflowSettings', { noSettings: true }, undefined],
	])('%s', (_name, parts, expected) => {
		expect(executionEndsAt(context(parts), NOW)).toBe(expected);
	});
});

describe('after the execution parked in n8n’s Wait node and resumed', () => {
	test('while the limit counted from the first start is ahead, that is the limit (regular mode counts the park)', () => {
		// Started 70 s ago, parked, resumed now; n8n stamped this run with now + 90 s.
		const resumed = context({
			timestamp: NOW + 90_000,
			executionTimeout: 90,
			startTimes: [NOW - 70_000, NOW],
		});
		expect(executionEndsAt(resumed, NOW)).toBe(NOW + 20_000);
	});

	test('once that has passed, the resumed run’s own limit (queue mode starts it afresh)', () => {
		const resumed = context({
			timestamp: NOW + 90_000,
			executionTimeout: 90,
			startTimes: [NOW - 2 * MINUTE - 5_000, NOW - 60_000, NOW],
		});
		expect(executionEndsAt(resumed, NOW)).toBe(NOW + 90_000);
	});

	test('without the engine’s timestamp (older n8n), the first start still counts', () => {
		const resumed = context({ executionTimeout: 90, startTimes: [NOW - 2 * MINUTE] });
		expect(executionEndsAt(resumed, NOW)).toBe(NOW - 30_000);
	});
});
