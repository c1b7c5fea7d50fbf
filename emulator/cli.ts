#!/usr/bin/env node
import { echoAgent } from './agent';
import { parseArgs, UsageError, USAGE, type CliSettings } from './cliArgs';
import { BlocksEmulator, type EmulatorOptions } from './emulator';

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
