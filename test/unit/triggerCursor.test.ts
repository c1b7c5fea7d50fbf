import {
	advance,
	cursorAfter,
	cursorFromTheStart,
	OVERLAP_SECONDS,
} from '../../nodes/Blocks/trigger/cursor';

const at = (id: string, ts: number | null, createdMs = 1_700_000_000_000) => ({
	id,
	ts,
	created_at: new Date(createdMs).toISOString(),
});

describe('the trigger’s per-session cursor', () => {
	test('keeps only the IDs a later poll can list again', () => {
		const start = cursorFromTheStart();
		const { next } = advance(start, [at('old', 1000), at('new', 1000 + OVERLAP_SECONDS + 1)], []);

		expect(next.gts).toBe(1000 + OVERLAP_SECONDS + 1);
		expect(Object.keys(next.recent)).toEqual(['new']);
	});

	test('does not change the cursor it was given', () => {
		const start = cursorFromTheStart();
		advance(start, [at('a', 5)], [at('b', null)]);

		expect(start).toEqual(cursorFromTheStart());
	});

	test('remembers at most 500 messages without ts, and never fires one older than it forgot', () => {
		const base = 1_700_000_000_000;
		const many = Array.from({ length: 600 }, (_, i) => at(`u${i}`, null, base + i));
		const { fresh, next } = advance(cursorFromTheStart(), [], many);

		expect(fresh).toHaveLength(600);
		expect(Object.keys(next.untimed)).toHaveLength(500);
		expect(next.untimedSince).toBe(base + 100);
		const again = advance(next, [], many);
		expect(again.fresh).toEqual([]);
	});

	test('starts after the newest message present, by its ts, or by created_at when none has one', () => {
		expect(cursorAfter([at('a', 10), at('b', 12), at('c', null)]).gts).toBe(12);
		expect(cursorAfter([at('c', null, 5_000)]).gts).toBe(5);
		expect(cursorAfter([])).toEqual(cursorFromTheStart());
	});
});
