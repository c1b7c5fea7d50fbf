/**
 * A streamed HTTP answer read as it arrives: n8n's "Respond: Streaming" writes one JSON object
 * per line and flushes each, so a test can see what came, and when, while the workflow still runs.
 */
import { pollUntil } from '../support/pollUntil';

export interface StreamedLine {
	/** Date.now() when the line was read. */
	at: number;
	text: string;
	/** The line parsed, or undefined when it is not JSON. */
	json?: Record<string, unknown>;
}

export class StreamedResponse {
	readonly lines: StreamedLine[] = [];
	private done = false;
	private failure: unknown;
	private readonly finished: Promise<void>;

	private constructor(
		readonly status: number,
		body: ReadableStream<Uint8Array> | null,
		private readonly abort: AbortController,
	) {
		this.finished = this.read(body);
	}

	/** Sends the request; resolves once the answer's headers are in, with its body still coming. */
	static async open(url: string, body: unknown, timeoutMs: number): Promise<StreamedResponse> {
		const abort = new AbortController();
		const timer = setTimeout(() => abort.abort(), timeoutMs);
		timer.unref();
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: abort.signal,
		});
		const streamed = new StreamedResponse(response.status, response.body, abort);
		void streamed.finished.finally(() => clearTimeout(timer));
		return streamed;
	}

	/** The first line that `matches`, once it has been read. */
	async lineWhere(
		matches: (line: StreamedLine) => boolean,
		options: { timeoutMs: number; description: string },
	): Promise<StreamedLine> {
		return await pollUntil(
			() => {
				const found = this.lines.find(matches);
				if (found) return found;
				if (this.done) throw new Error(`the answer ended without ${options.description}`);
				return undefined;
			},
			{ ...options, intervalMs: 50 },
		);
	}

	/** Resolves when the whole answer was read (rejects when reading it failed). */
	async ended(): Promise<void> {
		await this.finished;
		if (this.failure) throw this.failure;
	}

	close(): void {
		this.abort.abort();
	}

	private async read(body: ReadableStream<Uint8Array> | null): Promise<void> {
		if (!body) {
			this.done = true;
			return;
		}
		const decoder = new TextDecoder();
		const reader = body.getReader();
		let pending = '';
		try {
			for (let next = await reader.read(); !next.done; next = await reader.read()) {
				pending += decoder.decode(next.value, { stream: true });
				let newline: number;
				while ((newline = pending.indexOf('\n')) >= 0) {
					this.add(pending.slice(0, newline));
					pending = pending.slice(newline + 1);
				}
			}
			this.add(pending + decoder.decode());
		} catch (error) {
			this.failure = error;
		} finally {
			this.done = true;
		}
	}

	private add(text: string): void {
		if (!text.trim()) return;
		let json: Record<string, unknown> | undefined;
		try {
			json = JSON.parse(text) as Record<string, unknown>;
		} catch {
			json = undefined;
		}
		this.lines.push({ at: Date.now(), text, json });
	}
}
