/**
 * The emulator's command line (`npm run emulator -- [options]`), read apart from starting it so
 * tests can check what a newcomer types. npm keeps options given without `--` for itself: it
 * sets `npm_config_<option>` (to the value with `--option=value`, to "true" with `--option value`,
 * passing the value on as a bare argument). The first form is honoured; the second cannot be
 * paired up reliably (npm does not keep the order), so it gets a message with the right form.
 */
export const USAGE = `Usage: npm run emulator -- [options]   (or: node build/emulator/cli.js [options])

Runs a local Blocks Sessions API emulator until Ctrl-C.

Options (after the "--", which tells npm they are the emulator's):
  --port <n>             port to listen on (env BLOCKS_EMULATOR_PORT; default 0 = a free port)
  --time-scale <x>       emulated time runs x times faster than real time (default 1)
  --link-base-url <url>  origin used in _links hrefs (default: the emulator's own url)
  --reply-delay-ms <n>   emulated ms before the echo agent replies (default 0)
  --help                 show this help

Example: npm run emulator -- --port 4010 --reply-delay-ms 3000`;

export interface CliSettings {
	port: number;
	timeScale: number;
	linkBaseUrl?: string;
	replyDelayMs: number;
}

export class UsageError extends Error {}

interface NumberRule {
	describe: string;
	accepts(value: number): boolean;
}

const PORT: NumberRule = {
	describe: 'an integer from 0 to 65535',
	accepts: (n) => Number.isInteger(n) && n >= 0 && n <= 65535,
};
const POSITIVE: NumberRule = { describe: 'a number > 0', accepts: (n) => n > 0 };
const NON_NEGATIVE: NumberRule = { describe: 'a number >= 0', accepts: (n) => n >= 0 };

type Setter = (settings: CliSettings, flag: string, value: string) => void;

const OPTIONS: Record<string, Setter> = {
	'--port': (s, flag, value) => (s.port = numberSetting(flag, value, PORT)),
	'--time-scale': (s, flag, value) => (s.timeScale = numberSetting(flag, value, POSITIVE)),
	'--link-base-url': (s, _flag, value) => (s.linkBaseUrl = originOf(value)),
	'--reply-delay-ms': (s, flag, value) =>
		(s.replyDelayMs = numberSetting(flag, value, NON_NEGATIVE)),
};

/** The environment variable npm sets for an option it took for its own: `--reply-delay-ms` → `npm_config_reply_delay_ms`. */
function npmConfigName(flag: string): string {
	return `npm_config_${flag.slice(2).replace(/-/g, '_')}`;
}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): CliSettings | 'help' {
	const settings: CliSettings = {
		port: numberSetting('BLOCKS_EMULATOR_PORT', env.BLOCKS_EMULATOR_PORT ?? '0', PORT),
		timeScale: 1,
		replyDelayMs: 0,
	};
	applyOptionsNpmKept(settings, argv, env);
	for (let index = 0; index < argv.length; index += 1) {
		const flag = argv[index];
		if (flag === '--help' || flag === '-h') return 'help';
		const set = OPTIONS[flag];
		if (!set) {
			const hint = flag.startsWith('-')
				? ''
				: ' (options start with --, each followed by its value)';
			throw new UsageError(`Unknown option ${flag}${hint}`);
		}
		const value = argv[index + 1];
		if (value === undefined) throw new UsageError(`${flag} needs a value`);
		index += 1;
		set(settings, flag, value);
	}
	return settings;
}

/**
 * Options typed without `--` (`npm run emulator --port=4010`) reach the emulator only through
 * npm's environment. Those with their value attached are applied; the command line, read after,
 * wins. Those whose value npm split off leave a bare value in argv: say how to type them.
 */
function applyOptionsNpmKept(settings: CliSettings, argv: string[], env: NodeJS.ProcessEnv): void {
	const split: string[] = [];
	for (const [flag, set] of Object.entries(OPTIONS)) {
		const value = env[npmConfigName(flag)];
		if (value === undefined) continue;
		if (value === 'true') split.push(flag);
		else set(settings, flag, value);
	}
	if (split.length === 0) return;
	const bare = argv.filter((arg) => !arg.startsWith('-'));
	const typed =
		split.length === 1 && bare.length === 1
			? `${split[0]} ${bare[0]}`
			: split.map((flag) => `${flag} <value>`).join(' ');
	throw new UsageError(
		`npm took ${split.join(', ')} for its own option${split.length > 1 ? 's' : ''}: options for the ` +
			`emulator go after "--", as in\n\n  npm run emulator -- ${typed}`,
	);
}

function numberSetting(name: string, raw: string, rule: NumberRule): number {
	const value = Number(raw);
	if (raw.trim() === '' || !Number.isFinite(value) || !rule.accepts(value)) {
		throw new UsageError(`${name} must be ${rule.describe}, got '${raw}'`);
	}
	return value;
}

function originOf(raw: string): string {
	try {
		return new URL(raw).origin;
	} catch {
		throw new UsageError(`--link-base-url must be an absolute URL, got '${raw}'`);
	}
}
