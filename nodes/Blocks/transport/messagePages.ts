import type { IDataObject } from 'n8n-workflow';

import type { MessagePage } from '../helpers/apiTypes';
import { blocksApiRequest, type BlocksContext, type BlocksRequest } from './index';
import type { Query } from './urls';

/** The API's page size ceiling (docs/blocks-api.md §3.4). */
export const MAX_PAGE_SIZE = 100;

export interface MessageListing extends Pick<
	BlocksRequest,
	'itemIndex' | 'signal' | 'retryUntil' | 'endBy' | 'connection'
> {
	/** A session's or a thread's messages path. */
	path: string;
	/** The filters; `page` and `limit` are the walk's own. */
	query: Query;
	/** Pages are read until this many messages are in; Infinity for all. */
	limit: number;
}

/**
 * Reads a message listing page by page up to `meta.total_pages`, as there are no next links
 * (§14.9), keeping one page size for the whole walk (page N of another size would overlap the
 * pages before it). Messages are de-duplicated by id, since one arriving mid-walk can shift a
 * page (§14.11), and come in the order served: sort them with byTime (helpers/messages.ts) when order matters.
 */
export async function readMessagePages(
	context: BlocksContext,
	{ path, query, limit, ...request }: MessageListing,
): Promise<IDataObject[]> {
	const pageSize = Math.min(MAX_PAGE_SIZE, limit);
	const seen = new Map<string, IDataObject>();
	for (let page = 1; seen.size < limit; page++) {
		const response = (await blocksApiRequest.call(context, {
			method: 'GET',
			path,
			query: { ...query, page, limit: pageSize },
			retry: 'idempotent',
			...request,
		})) as MessagePage;
		const items = Array.isArray(response.items) ? response.items : [];
		for (const item of items) seen.set(String(item.id ?? `${page}:${seen.size}`), item);
		const totalPages = Number(response.meta?.total_pages ?? page);
		if (items.length === 0 || page >= totalPages) break;
	}
	// The last page may bring more than asked for: the caller picks which to keep, once sorted.
	return [...seen.values()];
}
