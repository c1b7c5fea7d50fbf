#!/usr/bin/env node
import { echoAgent } from './agent';
import { BlocksEmulator, type EmulatorOptions } from './emulator';

const USAGE = `Usage: npm run emulator -- [options]   (or: node build/emulator/cli.js [options])

Runs a local Blocks Sessions API emulator until Ctrl-C.

Options:
  --port <n>             port to listen on (env BLOCKS_EMULATOR_PORT; default 0 = a free port)
  --time-scale <x>       emulated time runs x times faster than real time (default 1)
  --link-base-url <url>  origin used in _links hrefs (default: the emulator's own url)
  --reply-delay-ms <n>   emulated ms before the echo agent replies (default 0)
  --help                 show this help`;

interface CliSettings {
	port: number;
	timeScale: number;
	linkBaseUrl?: string;
	replyDelayMs: number;
}

class UsageError extends Error {}

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

function parseArgs(argv: string[], env: NodeJS.ProcessEnv): CliSettings | 'help' {
	const settings: CliSettings = {
		port: numberSetting('BLOCKS_EMULATOR_PORT', env.BLOCKS_EMULATOR_PORT ?? '0', PORT),
		timeScale: 1,
		replyDelayMs: 0,
	};
	for (let index = 0; index < argv.length; index += 1) {
		const flag = argv[index];
		if (flag === '--help' || flag === '-h') return 'help';
		const value = argv[index + 1];
		if (value === undefined) throw new UsageError(`${flag} needs a value`);
		index += 1;
		switch (flag) {
			case '--port':
				settings.port = numberSetting(flag, value, PORT);
				break;
			case '--time-scale':
				settings.timeScale = numberSetting(flag, value, POSITIVE);
				break;
			case '--link-base-url':
				settings.linkBaseUrl = originOf(value);
				break;
			case '--reply-delay-ms':
				settings.replyDelayMs = numberSetting(flag, value, NON_NEGATIVE);
				break;
			default:
				throw new UsageError(`Unknown option ${flag}`);
		}
	}
	return settings;
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

async function main(): Promise<void> {
	let settings: CliSettings | 'help';
	try {
		settings = parseArgs(process.argv.slice(2), process.env);
	} catch (error) {
		if (!(error instanceof UsageError)) throw error;
		console.error(`${error.message}\n\n${USAGE}`);
		process.exitCode = 2;
		return;
	}
	if (settings === 'help') {
		console.log(USAGE);
		return;
	}
	const options: EmulatorOptions = {
		port: settings.port,
		timeScale: settings.timeScale,
		linkBaseUrl: settings.linkBaseUrl,
		agent: echoAgent(settings.replyDelayMs),
	};
	const emulator = await BlocksEmulator.start(options);
	console.log(`Blocks API emulator listening on ${emulator.url}`);
	console.log(`API key: ${emulator.apiKey}`);
	console.log(
		`n8n: set the Blocks API credential's Base URL to ${emulator.url} and its API Key to ${emulator.apiKey}`,
	);

	const stop = (signal: NodeJS.Signals) => {
		console.log(`\n${signal} received, closing the emulator`);
		// Closing clears every timer and connection, so the process then exits on its own.
		emulator.close().catch((error: unknown) => {
			console.error(error);
			process.exitCode = 1;
		});
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
