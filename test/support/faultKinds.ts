import type { Fault } from '../../emulator';

/**
 * The faults the fault suites put the node through, named. docs/reliability.md counts them, so they
 * live here, apart from the tests that use them.
 */

/** On creates and follow-ups (test/faults/noDuplicates.test.ts). */
export const SEND_FAULTS: Array<[string, Fault]> = [
	['500', { kind: 'status', status: 500 }],
	['502', { kind: 'status', status: 502 }],
	['503', { kind: 'status', status: 503 }],
	['504', { kind: 'status', status: 504 }],
	[
		'429 with Retry-After seconds',
		{ kind: 'status', status: 429, headers: { 'Retry-After': '0' } },
	],
	[
		'429 with an HTTP-date Retry-After',
		{ kind: 'status', status: 429, headers: { 'Retry-After': new Date(0).toUTCString() } },
	],
	['429 without Retry-After', { kind: 'status', status: 429 }],
	['a reset before the request was processed', { kind: 'resetBefore' }],
	['a reset after the request was processed', { kind: 'resetAfter' }],
	['a stalled answer', { kind: 'stall', ms: 300 }],
	['a malformed JSON answer', { kind: 'malformedJson' }],
	['an HTML error page', { kind: 'html', status: 502 }],
];

/** On the polls of a wait (test/faults/waitsUnderFaults.test.ts). */
export const WAIT_FAULTS: Array<[string, Fault]> = [
	['429 bursts with Retry-After', { kind: 'status', status: 429, headers: { 'Retry-After': '0' } }],
	['429 bursts without Retry-After', { kind: 'status', status: 429 }],
	['500s', { kind: 'status', status: 500 }],
	['503s', { kind: 'status', status: 503 }],
	['resets', { kind: 'resetBefore' }],
	['malformed JSON', { kind: 'malformedJson' }],
	['HTML error pages', { kind: 'html', status: 503 }],
	['listings that ignore the thread', { kind: 'ignoreThreadFilter' }],
];
