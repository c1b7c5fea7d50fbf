import { planWait } from '../../nodes/Blocks/wait/plan';
import type { WaitSettings } from '../../nodes/Blocks/wait/settings';
import { context, NOW } from './executionContext';

const settings: WaitSettings = {
	maxWaitMs: 60_000,
	pollIntervalMs: 5_000,
	onTimeout: 'stillWorking',
	giveUpAfterMs: 3_600_000,
};

describe('the deadline of one round of waiting', () => {
	test('Max Wait, when nothing else is nearer', () => {
		expect(planWait(context({}), settings, undefined, NOW)).toMatchObject({
			deadline: NOW + 60_000,
			endsBy: 'maxWait',
			requestsEndBy: undefined,
		});
	});

	test('what Give Up After leaves of the loop’s total', () => {
		const history = { rounds: 4, waitedMsTotal: 3_600_000 - 20_000 };
		expect(planWait(context({}), settings, history, NOW)).toMatchObject({
			deadline: NOW + 20_000,
			endsBy: 'giveUp',
		});
	});

	test('past Give Up After already: one look, then give up', () => {
		const history = { rounds: 9, waitedMsTotal: 4_000_000 };
		expect(planWait(context({}), settings, history, NOW)).toMatchObject({
			deadline: NOW,
			endsBy: 'giveUp',
		});
	});

	test('a first round whose Max Wait is all of Give Up After times out; the next round gives up', () => {
		const once = { ...settings, giveUpAfterMs: settings.maxWaitMs };
		expect(planWait(context({}), once, undefined, NOW)).toMatchObject({
			deadline: NOW + 60_000,
			endsBy: 'maxWait',
		});
		const after = { rounds: 1, waitedMsTotal: 60_000 };
		expect(planWait(context({}), once, after, NOW)).toMatchObject({
			deadline: NOW,
			endsBy: 'giveUp',
		});
	});

	test('a later round that ends on the loop’s total also times out, at its Max Wait', () => {
		const history = { rounds: 2, waitedMsTotal: 3_600_000 - 60_000 };
		expect(planWait(context({}), settings, history, NOW)).toMatchObject({
			deadline: NOW + 60_000,
			endsBy: 'maxWait',
		});
	});

	test('a fifth of the time left before a near time limit, and requests end halfway into it', () => {
		expect(planWait(context({ timestamp: NOW + 30_000 }), settings, undefined, NOW)).toMatchObject({
			deadline: NOW + 24_000,
			endsBy: 'timeLimit',
			requestsEndBy: NOW + 27_000,
		});
	});

	test('at most 10 s before a far time limit', () => {
		const long = { ...settings, maxWaitMs: 3_600_000 };
		expect(planWait(context({ timestamp: NOW + 600_000 }), long, undefined, NOW)).toMatchObject({
			deadline: NOW + 590_000,
			endsBy: 'timeLimit',
		});
	});

	test('a time limit beyond Max Wait changes nothing but the requests’ end', () => {
		expect(planWait(context({ timestamp: NOW + 600_000 }), settings, undefined, NOW)).toMatchObject(
			{
				deadline: NOW + 60_000,
				endsBy: 'maxWait',
				requestsEndBy: NOW + 595_000,
			},
		);
	});
});
