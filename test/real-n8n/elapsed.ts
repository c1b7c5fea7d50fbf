/** Time since `t0` (a Date.now() value) for progress lines: "4.2 s", "3 min 5 s". */
export function elapsed(t0: number): string {
	const s = (Date.now() - t0) / 1000;
	return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
