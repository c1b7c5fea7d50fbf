import { transcriptOf } from '../../nodes/Blocks/actions/shared/transcript';

const THREAD = '71562cd0-1f63-41b2-8382-10f2fdb1ac8b';
const OTHER = '0f8fad5b-d9cb-469f-a165-70867728950e';
const item = (type: string, message: string, ts: number | null, extra: object = {}) => ({
	id: `${type}-${message}-${ts}`,
	chat_thread_id: THREAD,
	role: 'assistant',
	type,
	message,
	ts,
	created_at: new Date((ts ?? 0) * 1000).toISOString(),
	...extra,
});

describe('a transcript from a thread listing', () => {
	test('a deployment that stores the reply only as a final_message still shows it', () => {
		const listed = [item('tool_call', '{"__name__":"ls"}', 1), item('final_message', 'Done', 2)];
		expect(transcriptOf(listed, THREAD).map((entry) => entry.message)).toEqual([
			'{"__name__":"ls"}',
			'Done',
		]);
	});

	test('the reply stored twice shows once, even with a tool call between', () => {
		const listed = [
			item('message', 'Done', 1),
			item('tool_call', '{"__name__":"ls"}', 2),
			item('final_message', 'Done', 3),
		];
		expect(transcriptOf(listed, THREAD).map((entry) => entry.type)).toEqual([
			'message',
			'tool_call',
		]);
	});

	test('listed newest first, the transcript is still oldest first', () => {
		const listed = [item('message', 'second', 2), item('message', 'first', 1)];
		expect(transcriptOf(listed, THREAD).map((entry) => entry.message)).toEqual(['first', 'second']);
	});

	test("system notices, the user's messages and other threads' items are left out", () => {
		const listed = [
			item('message', 'Sandbox started.', 1, { chat_thread_id: null }),
			item('message', 'Fix it', 2, { role: 'user' }),
			item('message', 'Elsewhere', 3, { chat_thread_id: OTHER }),
			item('message', 'Here', 4, { chat_thread_id: THREAD.toUpperCase() }),
		];
		expect(transcriptOf(listed, THREAD).map((entry) => entry.message)).toEqual(['Here']);
	});
});
