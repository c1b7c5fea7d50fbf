/**
 * Runs the Blocks API emulator in a process of its own, so the bench process's CPU time is the
 * client's alone (the node and n8n's engine, or a baseline loop), not the server's. Driven over
 * IPC by emulatorProcess.ts; started with child_process.fork.
 */
import { BlocksEmulator, type AgentScript } from '../../emulator';
import { wallNowMs } from '../engine/scaledClock';

/** The scripted agent: each message says how long its reply takes (`delay_ms=<emulated ms>`). */
const scriptedAgent: AgentScript = (turn) => {
	const delay = /delay_ms=(\d+)/.exec(turn.message);
	return { reply: `Done: ${turn.message}`, delayMs: delay ? Number(delay[1]) : 0 };
};

export interface HostStart {
	timeScale: number;
	/** One key per group of waits: Blocks limits each key on its own. */
	apiKeys: string[];
}

export interface HostStarted {
	url: string;
	/** The emulator's clock (emulated epoch ms) read at wall time `wallNow`. */
	emulatedNow: number;
	wallNow: number;
}

export interface LoggedRequest {
	method: string;
	path: string;
	status: number;
	/** Real wall time (Date.now()) of arrival. */
	receivedAt: number;
}

export type HostCommand =
	| { id: number; cmd: 'start'; args: HostStart }
	| { id: number; cmd: 'log' }
	| { id: number; cmd: 'readyAt'; args: { threadIds: string[] } }
	| { id: number; cmd: 'close' };

let emulator: BlocksEmulator | undefined;

async function handle(command: HostCommand): Promise<unknown> {
	switch (command.cmd) {
		case 'start': {
			await emulator?.close();
			emulator = await BlocksEmulator.start({
				timeScale: command.args.timeScale,
				apiKeys: command.args.apiKeys,
				agent: scriptedAgent,
				// No Retry-After header (the live API sends none, docs/blocks-api.md §10): the emulator would
				// state it in real seconds, which a client on the scaled clock would misread.
				retryAfterSeconds: null,
			});
			// The emulator's clock is private; reading it is the only way to share its origin.
			const clock = (emulator as unknown as { clock: { nowMs(): number } }).clock;
			const started: HostStarted = {
				url: emulator.url,
				emulatedNow: clock.nowMs(),
				wallNow: wallNowMs(),
			};
			return started;
		}
		case 'log':
			return (emulator?.requests ?? []).map((entry): LoggedRequest => ({
				method: entry.method,
				path: entry.path,
				status: entry.status,
				receivedAt: entry.receivedAt,
			}));
		case 'readyAt':
			return command.args.threadIds.map((threadId) => {
				try {
					return emulator?.threadState(threadId).readyAtMs ?? null;
				} catch {
					return null;
				}
			});
		case 'close':
			await emulator?.close();
			emulator = undefined;
			return null;
	}
}

process.on('message', (command: HostCommand) => {
	handle(command).then(
		(result) => process.send?.({ id: command.id, ok: true, result }),
		(error: Error) => process.send?.({ id: command.id, ok: false, error: error.message }),
	);
});

process.on('disconnect', () => {
	void (emulator?.close() ?? Promise.resolve()).finally(() => process.exit(0));
});
