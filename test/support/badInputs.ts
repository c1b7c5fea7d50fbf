import type { INodeParameters } from 'n8n-workflow';

/**
 * Bad values for every field of every operation, as a user or an expression might give them.
 * Each row: what was put in, and the message that must name the field (and the item).
 */
const SESSION = '0f8fad5b-d9cb-469f-a165-70867728950e';
const THREAD = '71562cd0-1f63-41b2-8382-10f2fdb1ac8b';
export const create = (extra: INodeParameters) => ({
	resource: 'session',
	operation: 'create',
	agentName: 'claude',
	message: 'ok',
	...extra,
});
const send = (extra: INodeParameters) => ({
	resource: 'session',
	operation: 'sendMessage',
	sessionId: SESSION,
	message: 'ok',
	...extra,
});
const get = (extra: INodeParameters) => ({ resource: 'session', operation: 'get', ...extra });
const wait = (extra: INodeParameters) => ({
	resource: 'session',
	operation: 'waitForReply',
	...extra,
});
const waitThread = (extra: INodeParameters) =>
	wait({ replySource: 'thread', sessionId: SESSION, threadId: THREAD, ...extra });
const list = (extra: INodeParameters) => ({
	resource: 'message',
	operation: 'getAll',
	sessionId: SESSION,
	...extra,
});
const link = `https://api.blocks.team/rest/v1/sessions/${SESSION}/threads/${THREAD}/messages?type=final_message&role=assistant`;

/** Each row: what the user (or an expression) put in, and the field the error must name. */
export const BAD_INPUTS: Array<[string, INodeParameters, RegExp]> = [
	[
		'create: empty message from an expression',
		create({ message: '={{ "" }}' }),
		/^Message is empty \(item 0\)$/,
	],
	['create: whitespace message', create({ message: ' \n\t ' }), /^Message is empty/],
	[
		'create: number message from an expression',
		create({ message: '={{ 42 }}' }),
		/^Message must be text, got 42/,
	],
	[
		'create: object message from an expression',
		create({ message: '={{ { a: 1 } }}' }),
		/^Message must be text/,
	],
	[
		'create: array message from an expression',
		create({ message: '={{ ["a"] }}' }),
		/^Message must be text/,
	],
	[
		'create: oversize message',
		create({ message: '={{ "x".repeat(100001) }}' }),
		/^Message is 100001 characters long/,
	],
	[
		'create: custom agent with empty ID',
		create({ agentName: 'custom', agentId: '={{ "" }}' }),
		/^Agent ID is empty/,
	],
	[
		'create: custom agent with non-UUID ID',
		create({ agentName: 'custom', agentId: 'claude' }),
		/^Agent ID must be a UUID/,
	],
	[
		'create: custom agent with path-like ID',
		create({ agentName: 'custom', agentId: '../x' }),
		/^Agent ID must be a UUID/,
	],
	[
		'create: other agent with an empty name from an expression',
		create({ agentName: 'other', otherAgentName: '={{ "" }}' }),
		/^Agent Name is empty \(item 0\)$/,
	],
	[
		'create: other agent with a sentence for a name',
		create({ agentName: 'other', otherAgentName: 'the new one' }),
		/^Agent Name must be one word/,
	],
	[
		'create: other agent name with a slash',
		create({ agentName: 'other', otherAgentName: 'a/b' }),
		/^Agent Name must be one word/,
	],
	[
		'create: session group ID not a UUID',
		create({ options: { session_group_id: 'group-1' } }),
		/^Session Group ID must be a UUID, got "group-1"/,
	],
	[
		'create: artifact ID not a UUID',
		create({ options: { artifact_ids: 'abc' } }),
		/^Artifact IDs must be a UUID/,
	],
	[
		'create: one bad artifact ID in a list',
		create({ options: { artifact_ids: `${SESSION}, nope` } }),
		/^Artifact IDs must be a UUID, got "nope"/,
	],
	[
		'create: artifact IDs as an object',
		create({ options: { artifact_ids: '={{ { id: 1 } }}' } }),
		/^Artifact IDs must be a list of UUIDs/,
	],
	[
		'create: max wait zero',
		create({ waitForReply: true, maxWaitSeconds: 0 }),
		/^Max Wait \(Seconds\) must be between 1 and 86400/,
	],
	[
		'create: max wait above a day',
		create({ waitForReply: true, maxWaitSeconds: 100000 }),
		/^Max Wait \(Seconds\) must be between/,
	],
	[
		'create: max wait not a number',
		create({ waitForReply: true, maxWaitSeconds: '={{ "soon" }}' }),
		/^Max Wait \(Seconds\) must be a number/,
	],
	[
		'create: poll interval below one second',
		create({ waitForReply: true, pollIntervalSeconds: 0.5 }),
		/^Poll Interval \(Seconds\) must be between 1/,
	],
	['send: empty session ID', send({ sessionId: '={{ "" }}' }), /^Session ID is empty \(item 0\)$/],
	['send: whitespace session ID', send({ sessionId: '   ' }), /^Session ID is empty/],
	[
		'send: non-UUID session ID',
		send({ sessionId: 'abc' }),
		/^Session ID must be a UUID, got "abc"/,
	],
	[
		'send: path-like session ID',
		send({ sessionId: '../x' }),
		/^Session ID must be a UUID, got "..\/x"/,
	],
	['send: query-like session ID', send({ sessionId: 'a/b?c' }), /^Session ID must be a UUID/],
	[
		'send: UUID with trailing path',
		send({ sessionId: `${SESSION}/messages` }),
		/^Session ID must be a UUID/,
	],
	[
		'send: session ID as a number',
		send({ sessionId: '={{ 12 }}' }),
		/^Session ID is empty|^Session ID must be a UUID/,
	],
	[
		'send: session ID as an array',
		send({ sessionId: `={{ ["${SESSION}"] }}` }),
		/^Session ID is empty|^Session ID must be a UUID/,
	],
	['send: empty message from an expression', send({ message: '={{ "" }}' }), /^Message is empty/],
	['send: message as null', send({ message: '={{ null }}' }), /^Message (is empty|must be text)/],
	[
		'send: bad artifact ID',
		send({ options: { artifact_ids: 'x' } }),
		/^Artifact IDs must be a UUID/,
	],
	[
		'send: wait with bad poll interval',
		send({ waitForReply: true, pollIntervalSeconds: -1 }),
		/^Poll Interval \(Seconds\) must be between/,
	],
	['get: empty session ID', get({ sessionId: '={{ "" }}' }), /^Session ID is empty/],
	['get: non-UUID session ID', get({ sessionId: 'session-1' }), /^Session ID must be a UUID/],
	[
		'get: session ID with a space inside',
		get({ sessionId: `${SESSION.slice(0, 8)} ${SESSION.slice(9)}` }),
		/^Session ID must be a UUID/,
	],
	[
		'wait: reply URL not a URL',
		wait({ replyUrl: 'not a url' }),
		/^Reply URL is not a Blocks thread messages link/,
	],
	[
		'wait: reply URL of a session, not a thread',
		wait({ replyUrl: `https://api.blocks.team/rest/v1/sessions/${SESSION}` }),
		/^Reply URL is not a Blocks/,
	],
	[
		'wait: reply URL of the session messages',
		wait({ replyUrl: `https://api.blocks.team/rest/v1/sessions/${SESSION}/messages` }),
		/^Reply URL is not a Blocks/,
	],
	[
		'wait: reply URL with a non-UUID thread',
		wait({ replyUrl: `https://api.blocks.team/rest/v1/sessions/${SESSION}/threads/x/messages` }),
		/^Reply URL is not a Blocks/,
	],
	[
		'wait: reply URL with ftp scheme',
		wait({ replyUrl: link.replace('https', 'ftp') }),
		/^Reply URL is not a Blocks/,
	],
	[
		'wait: reply URL as a number',
		wait({ replyUrl: '={{ 5 }}' }),
		/^Reply URL is empty|^Reply URL is not/,
	],
	[
		'wait: thread mode with bad session ID',
		waitThread({ sessionId: 'x' }),
		/^Session ID must be a UUID/,
	],
	[
		'wait: thread mode with empty thread ID',
		waitThread({ threadId: '={{ "" }}' }),
		/^Thread ID is empty/,
	],
	[
		'wait: thread mode with path-like thread ID',
		waitThread({ threadId: '../../sessions' }),
		/^Thread ID must be a UUID/,
	],
	[
		'wait: max wait negative',
		wait({ replyUrl: link, maxWaitSeconds: -5 }),
		/^Max Wait \(Seconds\) must be between/,
	],
	[
		'wait: poll interval as text',
		wait({ replyUrl: link, pollIntervalSeconds: '={{ "fast" }}' }),
		/^Poll Interval \(Seconds\) must be a number/,
	],
	['list: non-UUID session ID', list({ sessionId: 'abc' }), /^Session ID must be a UUID/],
	['list: non-UUID thread ID', list({ threadId: 'thread-1' }), /^Thread ID must be a UUID/],
	[
		'list: unknown type from an expression',
		list({ filters: { type: '={{ ["message", "everything"] }}' } }),
		/^Type must be one of/,
	],
	[
		'list: unknown role from an expression',
		list({ filters: { role: '={{ "system" }}' } }),
		/^Role must be assistant, user or any/,
	],
	['list: negative cursor', list({ filters: { since: -1 } }), /^Since \(Cursor\) must be between/],
	['list: limit zero', list({ limit: 0 }), /^Limit must be between/],
];
