/**
 * Preloaded into n8n (`NODE_OPTIONS=--require <this file>`, see `resolveProbeEnv` in resolutionLog.ts):
 * records which file `require('n8n-workflow')` from inside this package resolves to, one line per
 * distinct resolution, in the file named by BLOCKS_RESOLVE_LOG.
 *
 * The package must use n8n's own n8n-workflow: with a second copy (e.g. the repository's
 * devDependency), `instanceof NodeApiError` and other state shared with n8n break.
 * Nothing else is touched: the original resolver runs unchanged and its answer is returned as is.
 *
 * A requiring file counts as the package's when its path has `node_modules/n8n-nodes-blocks/` in it
 * (an installed package) or starts with one of the folders in BLOCKS_RESOLVE_ROOTS (path-delimiter separated; lets a
 * symlinked working copy, whose files load under their real path, be seen too).
 */
import * as fs from 'fs';
import * as path from 'path';
import Module from 'module';

type Resolve = (
	request: string,
	parent: { filename?: string | null } | undefined,
	...rest: unknown[]
) => string;

const log = process.env.BLOCKS_RESOLVE_LOG;
const mod = Module as unknown as { _resolveFilename: Resolve };

if (log && typeof mod._resolveFilename === 'function') {
	const segment = `${path.sep}node_modules${path.sep}n8n-nodes-blocks${path.sep}`;
	const roots = (process.env.BLOCKS_RESOLVE_ROOTS ?? '')
		.split(path.delimiter)
		.filter(Boolean)
		.map((r) => (r.endsWith(path.sep) ? r : r + path.sep));
	const original = mod._resolveFilename;
	const seen = new Set<string>();
	mod._resolveFilename = function (this: unknown, request, parent, ...rest) {
		const resolved = original.call(this, request, parent, ...rest);
		try {
			const from = parent?.filename ?? '';
			if (
				(request === 'n8n-workflow' || request.startsWith('n8n-workflow/')) &&
				(from.includes(segment) || roots.some((r) => from.startsWith(r)))
			) {
				const key = `${request}\t${resolved}`;
				if (!seen.has(key)) {
					seen.add(key);
					fs.appendFileSync(log, `${process.pid}\t${request}\t${resolved}\t${from}\n`);
				}
			}
		} catch {
			// never disturb n8n's own module loading
		}
		return resolved;
	};
}
