import type { IBinaryKeyData, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { UUID } from '../../helpers/validation';
import { apiPath, blocksApiRequest, type Connection } from '../../transport';
import { downloadPresigned, storeDownload } from '../../transport/download';

export interface ArtifactRequest {
	sessionId: string;
	artifactId: string;
	/** The binary field to download the file into; no download when undefined. */
	downloadTo: string | undefined;
	connection: Connection;
	itemIndex: number;
	signal: AbortSignal;
}

/**
 * One artifact's metadata (docs/blocks-api.md §3.6) and, when asked, its file as n8n binary data. The
 * metadata is output as Blocks sent it, `url` included: a link that anyone holding it can use
 * for about six days, which is what the API hands out.
 */
export async function readArtifact(
	this: IExecuteFunctions,
	request: ArtifactRequest,
): Promise<{ json: IDataObject; binary?: IBinaryKeyData }> {
	const { sessionId, artifactId, connection, itemIndex, signal } = request;
	const metadata = await blocksApiRequest.call(this, {
		method: 'GET',
		path: apiPath.artifact(sessionId, artifactId),
		retry: 'idempotent',
		itemIndex,
		signal,
		connection,
	});
	if (!request.downloadTo) return { json: metadata };

	const file = await downloadPresigned.call(
		this,
		metadata.url,
		connection.baseUrl,
		itemIndex,
		signal,
	);
	const fileName = typeof metadata.file_name === 'string' && metadata.file_name.trim();
	const mimeType = typeof metadata.mime_type === 'string' && metadata.mime_type.trim();
	const binary = await storeDownload.call(
		this,
		file,
		fileName || artifactId,
		mimeType || file.mimeType,
		itemIndex,
		signal,
	);
	return { json: metadata, binary: { [request.downloadTo]: binary } };
}

/**
 * `plan_artifact_ids` is not in the documented session (docs/blocks-api.md §3.2 [OBS], §14.15): read it
 * defensively, and refuse IDs that could not be a path segment.
 */
export function planArtifactIds(
	context: IExecuteFunctions,
	session: IDataObject,
	itemIndex: number,
): string[] {
	const ids = Array.isArray(session.plan_artifact_ids) ? session.plan_artifact_ids : [];
	return ids.map((id) => {
		if (typeof id !== 'string' || !UUID.test(id)) {
			throw new NodeOperationError(
				context.getNode(),
				`Blocks listed an artifact ID that is not a UUID: ${JSON.stringify(id)}`,
				{ itemIndex },
			);
		}
		return id.toLowerCase();
	});
}
