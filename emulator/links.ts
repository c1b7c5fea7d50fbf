export interface Link {
	href: string;
}

export const link = (href: string): Link => ({ href });

/**
 * Builds the absolute hrefs of `_links` (docs/blocks-api.md §1). The origin is configurable
 * because the live API answers with its own configured host, which may differ from the one the
 * client called (§1 "Link host caveat", §14.21); clients must rebase or validate before following.
 */
export class LinkBuilder {
	private readonly root: string;

	constructor(origin: string) {
		this.root = `${origin.replace(/\/+$/, '')}/rest/v1`;
	}

	session(sessionId: string): string {
		return `${this.root}/sessions/${sessionId}`;
	}

	sessionMessages(sessionId: string): string {
		return `${this.session(sessionId)}/messages`;
	}

	threadMessages(sessionId: string, threadId: string): string {
		return `${this.session(sessionId)}/threads/${threadId}/messages`;
	}

	/** §3.1 / §3.3: the ready-made polling URL for a turn's reply. */
	finalMessage(sessionId: string, threadId: string): string {
		return `${this.threadMessages(sessionId, threadId)}?type=final_message&role=assistant`;
	}

	/** §3.4 / §14.10: `new_messages` keeps only `gts`, whatever filters the caller sent. */
	newMessages(listingHref: string, cursor: number): string {
		return `${listingHref}?gts=${cursor}`;
	}
}
