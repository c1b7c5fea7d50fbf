import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readUuid } from '../../helpers/validation';
import { apiPath, blocksApiRequest } from '../../transport';
import type { BlocksOperation, ItemResult, ItemRun } from '../operation';
import { sessionIdField } from '../shared/fields';
import { sessionAnswer } from '../tool/toolAnswers';

const properties: INodeProperties[] = [sessionIdField];

const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['get'] } },
	properties,
);

async function execute(
	this: IExecuteFunctions,
	{ itemIndex, signal }: ItemRun,
): Promise<ItemResult> {
	const sessionId = readUuid(this, 'sessionId', 'Session ID', itemIndex);
	const session = await blocksApiRequest.call(this, {
		method: 'GET',
		path: apiPath.session(sessionId),
		retry: 'idempotent',
		itemIndex,
		signal,
	});
	return { items: [{ json: session }], toolAnswer: () => sessionAnswer(session) };
}

export const get: BlocksOperation = { description, execute };
