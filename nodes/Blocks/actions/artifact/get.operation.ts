import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readUuid } from '../../helpers/validation';
import { connectionOf } from '../../transport';
import type { BlocksOperation, ItemResult, ItemRun } from '../operation';
import { sessionIdField } from '../shared/fields';
import { artifactsAnswer } from '../tool/toolAnswers';
import { downloadFields, readDownloadField } from './download.fields';
import { readArtifact } from './readArtifact';

const properties: INodeProperties[] = [
	sessionIdField,
	{
		displayName: 'Artifact ID',
		name: 'artifactId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '2b6f0c1e-8d1e-4a7b-9c3d-5e6f7a8b9c0d',
		description: 'The artifact to get, for example one of the session’s "plan_artifact_ids"',
	},
	...downloadFields,
];

const description = updateDisplayOptions(
	{ show: { resource: ['artifact'], operation: ['get'] } },
	properties,
);

async function execute(
	this: IExecuteFunctions,
	{ itemIndex, signal }: ItemRun,
): Promise<ItemResult> {
	const sessionId = readUuid(this, 'sessionId', 'Session ID', itemIndex);
	const artifactId = readUuid(this, 'artifactId', 'Artifact ID', itemIndex);
	const downloadTo = readDownloadField(this, itemIndex);
	const connection = await connectionOf(this);
	const item = await readArtifact.call(this, {
		sessionId,
		artifactId,
		downloadTo,
		connection,
		itemIndex,
		signal,
	});
	return { items: [item], toolAnswer: () => artifactsAnswer([item.json]) };
}

export const get: BlocksOperation = { description, execute };
