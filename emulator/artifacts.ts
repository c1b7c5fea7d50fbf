import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { Readable } from 'node:stream';

import type { EndpointDeps, Route, RouteContext } from './endpoint';
import { API_ROOT, findSession, ID, route } from './endpoint';
import { notFound } from './errors';
import { requireUuid } from './fields';
import { closeServer, listen } from './listener';
import type { Reply } from './reply';
import type { RequestLogEntry } from './requestLog';
import { logEntryFor } from './requestLog';
import type { Store } from './store';

/**
 * docs/blocks-api.md §3.6 and §9: artifact metadata from the API, the file itself from a storage
 * host behind a presigned URL. There is no documented way to create an artifact, so tests make
 * them with BlocksEmulator.addArtifact and attach them through `artifact_ids` or directly.
 */

export function artifactRoutes(deps: EndpointDeps): Route[] {
	return [
		route('GET', `${API_ROOT}/sessions/${ID}/artifacts/${ID}`, (context) =>
			getArtifact(deps, context),
		),
	];
}

/** §3.6: 404 unless the artifact is attached to this session. */
function getArtifact(deps: EndpointDeps, { params }: RouteContext): Reply {
	const session = findSession(deps, params[0]);
	const artifactId = requireUuid(params[1], 'artifact_id');
	const artifact = deps.store.artifact(artifactId);
	if (!artifact || !session.artifactIds.includes(artifactId))
		throw notFound(`Artifact ${artifactId} not found`);
	return { status: 200, json: artifact.record };
}

const FILE_PATH = /^\/artifacts\/([^/]+)\/[^/]+$/;

/**
 * The storage host of §3.6 on a listener of its own, as the live one is another host than the
 * API. Its URLs carry their own authorisation (a `signature` query parameter), and the contract
 * says the API key must never be sent there, so a request that carries one is refused: a client
 * that leaks its key to storage fails here instead of passing unnoticed. (Real object stores
 * refuse a second credential on a presigned URL too, with a 400.)
 */
export class StorageHost {
	/** Every request received, apart from the API's own log. */
	readonly requests: RequestLogEntry[] = [];

	static async start(host: string, store: Store, apiKeys: readonly string[]): Promise<StorageHost> {
		const server = createServer();
		const url = await listen(server, host, 0);
		return new StorageHost(server, url, store, apiKeys);
	}

	private constructor(
		private readonly server: Server,
		readonly url: string,
		private readonly store: Store,
		private readonly apiKeys: readonly string[],
	) {
		server.on('request', (req: IncomingMessage, res: ServerResponse) => this.serve(req, res));
	}

	/** The presigned-style download URL of an artifact's file. */
	fileUrl(artifactId: string, fileName: string): string {
		return `${this.url}/artifacts/${artifactId}/${encodeURIComponent(fileName)}?signature=emulated`;
	}

	close(): Promise<void> {
		return closeServer(this.server);
	}

	private serve(req: IncomingMessage, res: ServerResponse): void {
		const { entry, url } = logEntryFor(req);
		this.requests.push(entry);
		const answer = this.answer(req, url);
		entry.status = answer.status;
		// Drain any body so the client is not cut off mid-send, then answer.
		req.resume();
		req.on('end', () => {
			const { status, text, contentType, generatedBytes } = answer;
			res.writeHead(status, {
				'content-type': contentType,
				'content-length': String(generatedBytes ?? Buffer.byteLength(text)),
			});
			if (generatedBytes === undefined) res.end(text);
			else generated(generatedBytes).pipe(res);
		});
	}

	private answer(
		req: IncomingMessage,
		url: URL,
	): { status: number; text: string; contentType: string; generatedBytes?: number } {
		const plain = 'text/plain; charset=utf-8';
		if (this.carriesApiKey(req, url)) {
			return {
				status: 400,
				text: 'Refused: a presigned URL takes no Authorization header and no API key\n',
				contentType: plain,
			};
		}
		const match = req.method === 'GET' ? FILE_PATH.exec(url.pathname) : null;
		const artifact = match ? this.store.artifact(match[1]) : undefined;
		if (!artifact) return { status: 404, text: 'No such object\n', contentType: plain };
		if (!url.searchParams.get('signature'))
			return { status: 403, text: 'Missing signature\n', contentType: plain };
		return {
			status: 200,
			text: artifact.content,
			contentType: artifact.record.mime_type,
			generatedBytes: artifact.generatedBytes,
		};
	}

	/** An Authorization header of any scheme, or any configured key anywhere in the headers or the query. */
	private carriesApiKey(req: IncomingMessage, url: URL): boolean {
		if (req.headers.authorization !== undefined) return true;
		const sent = [...Object.values(req.headers).flat(), url.search].join('\n');
		return this.apiKeys.some((key) => sent.includes(key));
	}
}

/** `bytes` of text, made a chunk at a time as the reader takes them (back-pressure holds it). */
function generated(bytes: number): Readable {
	const chunk = Buffer.alloc(64 * 1024, 'artifact line\n');
	let left = bytes;
	return new Readable({
		read() {
			if (left <= 0) {
				this.push(null);
				return;
			}
			const size = Math.min(left, chunk.length);
			left -= size;
			this.push(size === chunk.length ? chunk : chunk.subarray(0, size));
		},
	});
}
