import type { IExecuteFunctions } from 'n8n-workflow';

import { connectionOf } from '../../nodes/Blocks/transport';

/** Just enough of an execution context to read a credential. */
function contextWith(credential: Record<string, unknown>): IExecuteFunctions {
	return {
		getCredentials: async () => credential,
		getNode: () => ({ name: 'Blocks' }),
	} as unknown as IExecuteFunctions;
}

describe('the credential read into the key’s budget', () => {
	test('n8n Processes Sharing This Key divides the unreserved limit', async () => {
		const { budget } = await connectionOf(
			contextWith({
				apiKey: 'blk_processes_test',
				baseUrl: 'http://127.0.0.1:4010',
				requestsPerMinute: 100,
				reservedPercent: 10,
				processesSharingKey: 3,
			}),
		);

		expect(budget.allowancePerMinute()).toBe(30);
	});

	test('a credential saved before the field existed budgets the whole limit', async () => {
		const { budget } = await connectionOf(
			contextWith({ apiKey: 'blk_processes_old', baseUrl: 'http://127.0.0.1:4010' }),
		);

		expect(budget.allowancePerMinute()).toBe(90);
	});
});
