import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import type { HostCommand, HostStart, HostStarted, LoggedRequest } from './emulatorHost';

/** A command without its id; distributes over the union so each command keeps its own args. */
type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

/** The parent's handle on emulatorHost.ts: one emulator at a time, fresh for every run. */
export class EmulatorProcess {
	private nextId = 1;
	private readonly pending = new Map<number, Pending>();

	private constructor(private readonly child: ChildProcess) {
		child.on(
			'message',
			(message: { id: number; ok: boolean; result?: unknown; error?: string }) => {
				const waiter = this.pending.get(message.id);
				if (!waiter) return;
				this.pending.delete(message.id);
				if (message.ok) waiter.resolve(message.result);
				else waiter.reject(new Error(`emulator host: ${message.error}`));
			},
		);
		child.on('exit', (code) => {
			for (const waiter of this.pending.values())
				waiter.reject(new Error(`emulator host exited (${code})`));
			this.pending.clear();
		});
	}

	static spawn(): EmulatorProcess {
		const child = fork(path.join(__dirname, 'emulatorHost.js'), [], {
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		return new EmulatorProcess(child);
	}

	start(args: HostStart): Promise<HostStarted> {
		return this.call({ cmd: 'start', args }) as Promise<HostStarted>;
	}

	requestLog(): Promise<LoggedRequest[]> {
		return this.call({ cmd: 'log' }) as Promise<LoggedRequest[]>;
	}

	/** readyAtMs (real wall ms) of each thread, null when it never got its reply. */
	readyAt(threadIds: string[]): Promise<Array<number | null>> {
		return this.call({ cmd: 'readyAt', args: { threadIds } }) as Promise<Array<number | null>>;
	}

	close(): Promise<unknown> {
		return this.call({ cmd: 'close' });
	}

	dispose(): void {
		if (this.child.connected) this.child.disconnect();
	}

	private call(command: Unsent<HostCommand>): Promise<unknown> {
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			this.pending.set(id, { resolve, reject });
			this.child.send({ ...command, id });
		});
	}
}
