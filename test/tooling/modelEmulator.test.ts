import { httpRequest } from '../support/http';
import {
	startModelEmulator,
	toolNamed,
	toolResults,
	type ModelEmulator,
} from '../e2e/modelEmulator';

let model: ModelEmulator;
beforeEach(async () => {
	model = await startModelEmulator();
});
afterEach(async () => await model.close());

/** The parts of a Chat Completions answer the tests read. */
interface Completion {
	choices: Array<{
		finish_reason: string;
		message: {
			role: string;
			content: string | null;
			tool_calls: Array<{ id: string; function: { name: string; arguments: string } }>;
		};
	}>;
	error: { message: string };
}

const tools = [{ type: 'function', function: { name: 'Ask_a_coding_agent' } }];
const complete = (body: object) =>
	httpRequest<Completion>('POST', `${model.url}/chat/completions`, { body });

describe('the model emulator', () => {
	test('answers as scripted: a tool call chosen from the tools, then text from the tool result it received', async () => {
		model.setScript((request) => {
			const [result] = toolResults(request);
			return result === undefined
				? { tool: toolNamed(request, 'Ask a coding agent'), arguments: { message: 'Fix it' } }
				: { text: `It said ${result}` };
		});
		const first = await complete({ messages: [{ role: 'user', content: 'hi' }], tools });
		expect(first.status).toBe(200);
		const [call] = first.body.choices[0].message.tool_calls;
		expect(first.body.choices[0].finish_reason).toBe('tool_calls');
		expect(call.function).toEqual({
			name: 'Ask_a_coding_agent',
			arguments: '{"message":"Fix it"}',
		});

		const second = await complete({
			tools,
			messages: [
				{ role: 'user', content: 'hi' },
				{ role: 'assistant', content: null, tool_calls: [call] },
				{ role: 'tool', tool_call_id: call.id, content: '[{"status":"replied"}]' },
			],
		});
		expect(second.body.choices[0].message).toEqual({
			role: 'assistant',
			content: 'It said [{"status":"replied"}]',
		});
		expect(model.requests).toHaveLength(2);
		expect(toolResults(model.requests[1])).toEqual(['[{"status":"replied"}]']);
	});

	test('streams the same answer as server-sent events when asked to', async () => {
		model.setScript(() => ({ text: 'streamed' }));
		const r = await complete({ messages: [], stream: true });
		expect(r.headers.get('content-type')).toBe('text/event-stream');
		const events = r.text
			.split('\n\n')
			.filter(Boolean)
			.map((event) => event.replace(/^data: /, ''));
		expect(events.at(-1)).toBe('[DONE]');
		expect(JSON.parse(events[0]).choices[0].delta.content).toBe('streamed');
	});

	test('a script that throws, or no script, answers 500 with the reason', async () => {
		const r = await complete({ messages: [] });
		expect(r.status).toBe(500);
		expect(r.body.error.message).toMatch(/no script/);
	});
});
