/**
 * A chat model that answers as a test scripts it: an OpenAI-compatible Chat Completions endpoint
 * (`POST /v1/chat/completions`) on a free loopback port, for n8n's OpenAI Chat Model node, whose
 * credential's Base URL is pointed at `url`. Each request is answered by the script, which
 * sees the conversation so far (the tool results included) and answers with a tool call or
 * with text; every request is kept, so a test can read what the model was sent.
 * Answers as JSON, or as server-sent events when the request asks to stream.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

/** One message of the conversation as the model receives it. */
interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content?: string | Array<{ type: string; text?: string }> | null;
	tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
}

/** A request as the model received it. */
export interface ChatRequest {
	model?: string;
	messages: ChatMessage[];
	tools?: Array<{ type: 'function'; function: { name: string; description?: string } }>;
	stream?: boolean;
}

/** What the model answers: a call of one of the request's tools, or its final text. */
export type ModelTurn = { tool: string; arguments: Record<string, unknown> } | { text: string };

/** Decides each answer; it may throw to answer 500 (the test then fails on n8n's side too). */
type ModelScript = (request: ChatRequest) => ModelTurn;

export interface ModelEmulator {
	/** The Base URL for n8n's OpenAI credential (ends in /v1). */
	url: string;
	/** Every request received, in order. */
	requests: ChatRequest[];
	setScript(script: ModelScript): void;
	close(): Promise<void>;
}

/** The text of a message, whether sent as a string or as content parts. */
function textOf(message: ChatMessage): string {
	const { content } = message;
	if (typeof content === 'string') return content;
	return (content ?? []).map((part) => part.text ?? '').join('');
}

/** The tool results the model has been sent so far, oldest first. */
export function toolResults(request: ChatRequest): string[] {
	return request.messages.filter((m) => m.role === 'tool').map(textOf);
}

/** The name the request gives the tool whose name contains `words` (n8n turns spaces into _). */
export function toolNamed(request: ChatRequest, words: string): string {
	const wanted = words.replace(/\W+/g, '_').toLowerCase();
	const found = request.tools?.find((t) => t.function.name.toLowerCase().includes(wanted));
	if (!found) {
		throw new Error(
			`no tool like "${words}" among ${JSON.stringify(request.tools?.map((t) => t.function.name))}`,
		);
	}
	return found.function.name;
}

const noScript: ModelScript = () => {
	throw new Error('the model emulator has no script for this request');
};

export async function startModelEmulator(): Promise<ModelEmulator> {
	const requests: ChatRequest[] = [];
	let script = noScript;
	let calls = 0;
	const server = http.createServer((req, res) => {
		let text = '';
		req.setEncoding('utf8');
		req.on('data', (chunk: string) => (text += chunk));
		req.on('end', () => {
			if (req.method !== 'POST' || !/\/chat\/completions$/.test(req.url ?? '')) {
				res.writeHead(404, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
				return;
			}
			let turn: ModelTurn;
			let request: ChatRequest;
			try {
				request = JSON.parse(text) as ChatRequest;
				requests.push(request);
				turn = script(request);
			} catch (e) {
				res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { message: e instanceof Error ? e.message : String(e) } }));
				return;
			}
			calls++;
			const message =
				'tool' in turn
					? {
							role: 'assistant',
							content: null,
							tool_calls: [
								{
									id: `call_${calls}`,
									type: 'function',
									function: { name: turn.tool, arguments: JSON.stringify(turn.arguments) },
								},
							],
						}
					: { role: 'assistant', content: turn.text };
			const finishReason = 'tool' in turn ? 'tool_calls' : 'stop';
			const head = { id: `chatcmpl-${calls}`, created: 0, model: request.model ?? 'emulated' };
			const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
			if (request.stream) {
				res.writeHead(200, { 'content-type': 'text/event-stream' });
				const delta =
					'tool' in turn
						? { role: 'assistant', tool_calls: [{ index: 0, ...message.tool_calls![0] }] }
						: message;
				const chunk = (choice: object) =>
					`data: ${JSON.stringify({ ...head, object: 'chat.completion.chunk', choices: [{ index: 0, ...choice }] })}\n\n`;
				res.write(chunk({ delta, finish_reason: null }));
				res.write(chunk({ delta: {}, finish_reason: finishReason }));
				res.end('data: [DONE]\n\n');
				return;
			}
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					...head,
					object: 'chat.completion',
					choices: [{ index: 0, message, finish_reason: finishReason }],
					usage,
				}),
			);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/v1`,
		requests,
		setScript(next) {
			script = next;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
