import { parseArgs, UsageError } from '../../emulator/cliArgs';

/** What npm puts in the environment for `npm run emulator --reply-delay-ms 3000` (npm 10 and 11). */
const npmSplitValue = { npm_config_reply_delay_ms: 'true' };

function usageErrorOf(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		if (error instanceof UsageError) return error.message;
		throw error;
	}
	throw new Error('expected a UsageError');
}

describe('the emulator command line', () => {
	test('options after "--" are read as given', () => {
		expect(parseArgs(['--port', '4010', '--reply-delay-ms', '3000'], {})).toEqual({
			port: 4010,
			timeScale: 1,
			replyDelayMs: 3000,
		});
	});

	test('an option npm kept with its value attached (--reply-delay-ms=3000) is honoured', () => {
		const settings = parseArgs([], {
			npm_config_reply_delay_ms: '3000',
			npm_config_time_scale: '10',
		});
		expect(settings).toMatchObject({ replyDelayMs: 3000, timeScale: 10 });
	});

	test('the command line after "--" wins over what npm kept', () => {
		const settings = parseArgs(['--port', '4011'], { npm_config_port: '4010' });
		expect(settings).toMatchObject({ port: 4011 });
	});

	test('an option whose value npm split off is answered with the form that works', () => {
		const message = usageErrorOf(() => parseArgs(['3000'], npmSplitValue));
		expect(message).toContain('npm took --reply-delay-ms for its own option');
		expect(message).toContain('npm run emulator -- --reply-delay-ms 3000');
	});

	test('several split options get the right form with placeholders', () => {
		const message = usageErrorOf(() =>
			parseArgs(['4010', '3000'], { npm_config_port: 'true', npm_config_reply_delay_ms: 'true' }),
		);
		expect(message).toContain('npm run emulator -- --port <value> --reply-delay-ms <value>');
	});

	test('a bare value is named as such, not taken for an option', () => {
		expect(usageErrorOf(() => parseArgs(['3000'], {}))).toContain(
			'Unknown option 3000 (options start with --',
		);
	});

	test('a bad value names the option and what it accepts', () => {
		expect(usageErrorOf(() => parseArgs([], { npm_config_port: 'x' }))).toBe(
			"--port must be an integer from 0 to 65535, got 'x'",
		);
	});
});
