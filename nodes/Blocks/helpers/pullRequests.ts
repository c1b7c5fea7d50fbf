import type { IDataObject } from 'n8n-workflow';

/**
 * The pull requests' links, whatever form Blocks lists them in: URLs (Blocks' GitHub Action),
 * `{url, status}` objects (Blocks' API skill), or bare IDs (the docs), which give no link
 * (docs/blocks-api.md §14.14).
 */
export function pullRequestUrls(pullRequests: unknown): string[] {
	if (!Array.isArray(pullRequests)) return [];
	const isLink = (value: unknown): value is string =>
		typeof value === 'string' && /^https?:\/\//i.test(value);
	return pullRequests.flatMap((pullRequest: unknown) => {
		if (isLink(pullRequest)) return [pullRequest];
		if (typeof pullRequest === 'object' && pullRequest !== null) {
			const { url, html_url: htmlUrl } = pullRequest as IDataObject;
			if (isLink(url)) return [url];
			if (isLink(htmlUrl)) return [htmlUrl];
		}
		return [];
	});
}
