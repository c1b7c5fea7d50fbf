/**
 * The host side of resolveProbe.ts: the environment that preloads it into n8n, and reading back
 * which n8n-workflow the package got there.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { N8nInstall } from './install';

/** One `require('n8n-workflow')` made by the package inside n8n, as resolveProbe.ts records it. */
export interface Resolution {
	pid: number;
	request: string;
	resolved: string;
	from: string;
}

export function readResolveLog(file: string): Resolution[] {
	let text = '';
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch {
		return [];
	}
	return text
		.split('\n')
		.filter(Boolean)
		.map((line) => {
			const [pid, request, resolved, from] = line.split('\t');
			return { pid: Number(pid), request, resolved, from };
		});
}

/** Resolutions that do not land in the given n8n install's own node_modules. */
export function foreignResolutions(resolutions: Resolution[], install: N8nInstall): Resolution[] {
	const own = path.join(install.dir, 'node_modules') + path.sep;
	return resolutions.filter((r) => !r.resolved.startsWith(own));
}

/** Environment that preloads resolveProbe.js (compiled next to this file). */
export function resolveProbeEnv(
	nodeOptions: string | undefined,
	logFile: string,
	roots: string[],
): NodeJS.ProcessEnv {
	const probe = path.join(__dirname, 'resolveProbe.js');
	if (/\s/.test(probe))
		throw new Error(`the resolve probe cannot be preloaded from a path with spaces: ${probe}`);
	return {
		NODE_OPTIONS: [nodeOptions, `--require=${probe}`].filter(Boolean).join(' '),
		BLOCKS_RESOLVE_LOG: logFile,
		BLOCKS_RESOLVE_ROOTS: roots.join(path.delimiter),
	};
}
