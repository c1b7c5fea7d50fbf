import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidField } from '../../helpers/validation';
import { isToolRun } from '../../host/toolRun';

/** The download switch and where the file goes, shown by both artifact operations. */
export const downloadFields: INodeProperties[] = [
	{
		displayName: 'Download',
		name: 'download',
		type: 'boolean',
		default: false,
		description:
			'Whether to download the file too, as binary data with its name and MIME type, for the next node to save or send',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: { show: { download: [true] } },
		description: 'The name of the binary field the file is put in',
		hint: 'The name of the output binary field to put the file in',
	},
];

/**
 * The binary field to download into, or undefined when Download is off. A tool run downloads
 * nothing whatever the field says: the model reads only the tool's answer, which gives the file's
 * link (tool/toolAnswers.ts), so a file fetched there would only take memory and time.
 */
export function readDownloadField(
	context: IExecuteFunctions,
	itemIndex: number,
): string | undefined {
	if (isToolRun(context) || !context.getNodeParameter('download', itemIndex, false)) {
		return undefined;
	}
	const field: unknown = context.getNodeParameter('binaryPropertyName', itemIndex, 'data');
	if (typeof field !== 'string' || !field.trim()) {
		throw invalidField(context, 'Put Output File in Field', itemIndex, 'is empty');
	}
	return field.trim();
}
