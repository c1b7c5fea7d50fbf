import type { INode } from 'n8n-workflow';

import { blocksApiError, heldBackError } from '../../nodes/Blocks/transport/errors';

const node: INode = {
	id: 'blocks',
	name: 'Blocks',
	type: 'n8n-nodes-blocks.blocks',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const rateLimited = { status: 429, code: undefined, message: undefined };

describe('error hints quote the key limit the credential states', () => {
	test.each([100, 600, 25])('a 429 with %i requests per minute configured', (requestsPerMinute) => {
		const error = blocksApiError(node, rateLimited, 0, { requestsPerMinute, reservedShare: 0.1 });

		expect(error.message).toBe('Blocks rate limit reached (429)');
		expect(error.description).toContain(`allows ${requestsPerMinute} requests per minute`);
		expect(error.description).toMatch(/Lower "Requests per Minute"/);
	});

	test('held back: the limit, this n8n’s share of it, and what to change', () => {
		const error = heldBackError(node, 3, { requestsPerMinute: 200, reservedShare: 0.25 });

		expect(error.message).toMatch(/held this request back.*\(200 requests per minute\)/);
		expect(error.description).toMatch(/may use 150 requests a minute/);
		expect(error.description).toMatch(/"Max Wait".*"Requests per Minute"/);
		expect(error.context.itemIndex).toBe(3);
	});
});
