import type { IDataObject } from 'n8n-workflow';

/**
 * One page of a message listing, as the node reads it (docs/blocks-api.md §3.4). Every field is
 * optional: a deployment that leaves one out must not break the node.
 */
export interface MessagePage {
	items?: IDataObject[];
	meta?: { total_pages?: number };
}
