import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readUuid } from '../../helpers/validation';
import { apiPath, blocksApiRequest, connectionOf } from '../../transport';
import type { BlocksOperation, ItemResult, ItemRun, OutputItem } from '../operation';
import { sessionIdField } from '../shared/fields';
import { artifactsAnswer } from '../tool/toolAnswers';
import { downloadFields, readDownloadField } from './download.fields';
import { planArtifactIds, readArtifact } from './readArtifact';

const properties: INodeProperties[] = [sessionIdField, ...downloadFields];

const description = updateDisplayOptions(
	{ show: { resource: ['artifact'], operation: ['getAllForSession'] } },
	properties,
);

/**
 * Blocks has no artifact listing (docs/blocks-api.md §3.6): the session names the newest artifact of each
 * plan in `plan_artifact_ids`, oldest plan first. One output item per artifact, in that order;
 * none when the agent wrote no plan.
 */
async function execute(
	this: IExecuteFunctions,
	{ itemIndex, signal }: ItemRun,
): Promise<ItemResult> {
	const sessionId = readUuid(this, 'sessionId', 'Session ID', itemIndex);
	const downloadTo = readDownloadField(this, itemIndex);
	const connection = await connectionOf(this);
	const session = await blocksApiRequest.call(this, {
		method: 'GET',
		path: apiPath.session(sessionId),
		retry: 'idempotent',
		itemIndex,
		signal,
		connection,
	});
	const items: OutputItem[] = [];
	for (const artifactId of planArtifactIds(this, session, itemIndex)) {
		items.push(
			await readArtifact.call(this, {
				sessionId,
				artifactId,
				downloadTo,
				connection,
				itemIndex,
				signal,
			}),
		);
	}
	return { items, toolAnswer: () => artifactsAnswer(items.map((item) => item.json)) };
}

export const getAllForSession: BlocksOperation = { description, execute };
