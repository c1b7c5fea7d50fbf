import type { IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * A storage host silent this long fails the download, before the first byte or mid-file (the
 * time-out is the socket's idle time, so a large file over a slow link still finishes).
 */
const DOWNLOAD_TIMEOUT_MS = 120_000;

/** Storage hosts may redirect once or twice (a CDN in front of a bucket); more is a loop. */
const MAX_REDIRECTS = 3;

/** What n8n's binary data takes: a Buffer or a stream (a stream is never held whole). */
type FileData = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

export interface Download {
	/** The file as a stream, for `prepareBinaryData` to store as it arrives. */
	body: FileData;
	/** The storage host's Content-Type, when it sent one. */
	mimeType: string | undefined;
	/** Where the file streams from (the last redirect's origin): errors name it, never the link. */
	origin: string;
}

/**
 * Fetches an artifact's presigned download link (docs/blocks-api.md §3.6). The link carries its own
 * signature, so it is fetched with n8n's plain `httpRequest`, which adds no credential: the API
 * key never reaches the storage host. Redirects are followed here, one by one, so each hop passes
 * the same check as the link itself.
 *
 * Only https links are followed. Plain http is accepted only when both the link and the
 * credential's Base URL are on this machine (the local Blocks API emulator in tests): a
 * credential pointing at Blocks itself, which is https, never accepts one.
 */
export async function downloadPresigned(
	this: IExecuteFunctions,
	link: unknown,
	baseUrl: string,
	itemIndex: number,
	signal: AbortSignal,
): Promise<Download> {
	let url = followable(this, link, baseUrl, itemIndex);
	for (let hop = 0; ; hop++) {
		const options: IHttpRequestOptions = {
			method: 'GET',
			url: url.href,
			// Streamed: n8n's binary data store (filesystem mode) writes it to disk as it arrives,
			// so a file of hundreds of megabytes is never held in the node's memory.
			encoding: 'stream',
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: DOWNLOAD_TIMEOUT_MS,
			abortSignal: signal,
		};
		let response: IN8nHttpFullResponse;
		try {
			response = (await this.helpers.httpRequest(options)) as IN8nHttpFullResponse;
		} catch {
			// The original error is not passed on: it carries the link, and so its signature.
			throw new NodeOperationError(
				this.getNode(),
				`Could not download the artifact from ${url.origin}`,
				{
					itemIndex,
					description: signal.aborted
						? 'The execution was cancelled.'
						: 'The storage host did not answer. Try again; the link stays valid for about six days.',
				},
			);
		}
		const { statusCode: status, headers } = response;
		const location = headers?.location;
		if (status < 200 || status >= 300) discard(response.body);
		if (status >= 300 && status < 400 && typeof location === 'string' && hop < MAX_REDIRECTS) {
			url = followable(this, new URL(location, url).href, baseUrl, itemIndex);
			continue;
		}
		if (status < 200 || status >= 300) {
			throw new NodeOperationError(
				this.getNode(),
				`The artifact download failed (${status} from ${url.origin})`,
				{
					itemIndex,
					description:
						'Blocks’ download links expire after about six days; getting the artifact again gives a fresh one.',
				},
			);
		}
		const contentType = headers?.['content-type'];
		return {
			body: response.body as FileData,
			mimeType: typeof contentType === 'string' ? contentType.split(';')[0].trim() : undefined,
			origin: url.origin,
		};
	}
}

/**
 * Stores the streamed file as n8n binary data. A stream that breaks off mid-file fails the item
 * naming the host only: the stream's own error carries the link, and so its signature.
 */
export async function storeDownload(
	this: IExecuteFunctions,
	file: Download,
	fileName: string,
	mimeType: string | undefined,
	itemIndex: number,
	signal: AbortSignal,
) {
	try {
		return await this.helpers.prepareBinaryData(file.body, fileName, mimeType);
	} catch {
		throw new NodeOperationError(
			this.getNode(),
			`The artifact download broke off (from ${file.origin})`,
			{
				itemIndex,
				description: signal.aborted
					? 'The execution was cancelled.'
					: 'The storage host stopped sending the file. Try again; the link stays valid for about six days.',
			},
		);
	}
}

/** An answer that is not the file: its stream is closed rather than read. */
function discard(body: unknown) {
	(body as { destroy?: () => void } | undefined)?.destroy?.();
}

function followable(
	context: IExecuteFunctions,
	link: unknown,
	baseUrl: string,
	itemIndex: number,
): URL {
	let url: URL | undefined;
	try {
		url = new URL(typeof link === 'string' ? link : '');
	} catch {
		url = undefined;
	}
	if (url && mayFollow(url, baseUrl)) return url;
	throw new NodeOperationError(
		context.getNode(),
		url
			? `Blocks gave a download link that is not https (${url.protocol}//${url.host}), so it was not followed`
			: 'Blocks gave no usable download link for the artifact',
		{
			itemIndex,
			description:
				'Artifacts are downloaded only over https, so the file cannot be read or changed on its way.',
		},
	);
}

/** https anywhere; plain http only from a loopback Base URL to a loopback host. */
export function mayFollow(url: URL, baseUrl: string): boolean {
	if (url.protocol === 'https:') return true;
	return url.protocol === 'http:' && isLoopback(url) && isLoopback(new URL(baseUrl));
}

function isLoopback(url: URL): boolean {
	const host = url.hostname.replace(/^\[|\]$/g, '');
	return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
