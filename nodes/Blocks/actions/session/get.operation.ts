import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readUuid } from '../../helpers/validation';
import { apiPath, blocksApiRequest } from '../../transport';
import type { BlocksOperation } from '../operation';
import { sessionIdField } from '../shared/fields';

const properties: INodeProperties[] = [sessionIdField];

const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['get'] } },
	properties,
);

async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	signal: AbortSignal,
): Promise<IDataObject> {
	const sessionId = readUuid(this, 'sessionId', 'Session ID', itemIndex);
	return await blocksApiRequest.call(this, {
		method: 'GET',
		path: apiPath.session(sessionId),
		retry: 'idempotent',
		itemIndex,
		signal,
	});
}

export const get: BlocksOperation = { description, execute };
