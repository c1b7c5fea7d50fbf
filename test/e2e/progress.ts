/**
 * Where the run is, and what to clean up when it is cut short: the current phase (named by the
 * deadline and interrupt messages) and the temporary n8n user folders still in use.
 */
import * as fs from 'fs';
import { elapsed } from '../real-n8n/elapsed';

const startedAt = Date.now();
let current = 'start';
const userFolders = new Set<string>();

/** Announces a phase of the run with a "### phase" line. */
export function phase(name: string): void {
	current = name;
	console.log(`\n### phase: ${name} (at ${elapsed(startedAt)})`);
}

export function currentPhase(): string {
	return current;
}

export function runTime(): string {
	return elapsed(startedAt);
}

/** Remembers a temporary user folder until `releaseUserFolder`. */
export function trackUserFolder(dir: string): void {
	userFolders.add(dir);
}

export function releaseUserFolder(dir: string): void {
	userFolders.delete(dir);
}

/** Removes the user folders still tracked (E2E_KEEP=1 keeps them). */
export function removeUserFolders(): void {
	if (process.env.E2E_KEEP === '1') return;
	for (const dir of userFolders) fs.rmSync(dir, { recursive: true, force: true });
}
