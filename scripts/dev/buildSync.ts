/**
 * `npm run dev`'s link between the working copy and the n8n it runs: the repository's dist/ (and
 * package.json) are watched, and changes are copied into the installed package folder (see
 * installWorkingCopy in test/real-n8n/packageInstall.ts) once the build has been quiet for a moment; n8n's own watcher
 * (N8N_DEV_RELOAD) then reloads the node.
 */
import * as fs from 'fs';
import * as path from 'path';
import { installWorkingCopy } from '../../test/real-n8n/packageInstall';

/** Quiet time after the last change in dist/ before it is copied (a build writes many files). */
const SYNC_DEBOUNCE_MS = 750;

/** The `n8n` section of package.json: a change there (a new node or credential) needs an n8n restart. */
function manifest(file: string): string {
	try {
		return JSON.stringify(
			(JSON.parse(fs.readFileSync(file, 'utf8')) as { n8n?: unknown }).n8n ?? null,
		);
	} catch {
		return '';
	}
}

/**
 * Watches the repository's dist/ (and package.json) and copies changes into the installed package
 * folder once the build has been quiet for SYNC_DEBOUNCE_MS; n8n's own watcher then reloads the node.
 */
export function watchBuild(
	repo: string,
	userFolder: string,
	say: (msg: string) => void = (m) => console.log(`[dev] ${m}`),
): { close: () => void } {
	const dist = path.join(repo, 'dist');
	const pkgJson = path.join(repo, 'package.json');
	let shippedManifest = manifest(pkgJson);
	let timer: NodeJS.Timeout | undefined;
	let distWatcher: fs.FSWatcher | undefined;
	let closed = false;

	const rearmDist = () => {
		distWatcher?.close();
		distWatcher = undefined;
		armDist();
	};
	const armDist = () => {
		if (closed || distWatcher || !fs.existsSync(dist)) return;
		try {
			distWatcher = fs.watch(dist, { recursive: true }, schedule);
			distWatcher.on('error', () => {
				// dist/ was removed (a clean build): the repository watcher re-arms it when it is back
				distWatcher?.close();
				distWatcher = undefined;
				schedule();
			});
		} catch {
			distWatcher = undefined;
		}
	};
	const sync = () => {
		timer = undefined;
		if (closed) return;
		if (!fs.existsSync(path.join(dist, 'nodes'))) {
			// mid-build after a clean: try again once it is back
			armDist();
			schedule();
			return;
		}
		armDist();
		try {
			const { changed } = installWorkingCopy(repo, userFolder);
			if (changed.length === 0) return;
			const shown =
				changed.slice(0, 4).join(', ') +
				(changed.length > 4 ? `, … (${changed.length} files)` : '');
			say(`build changed: copied ${shown} into the n8n package folder.`);
			const nowManifest = manifest(pkgJson);
			if (nowManifest !== shippedManifest) {
				shippedManifest = nowManifest;
				say(
					'package.json\'s "n8n" section changed (nodes or credentials added/removed): restart npm run dev to load it.',
				);
			} else {
				say(
					'n8n reloads the node now ("Hot reload triggered for n8n-nodes-blocks"): refresh the editor page to see it.',
				);
			}
		} catch (e) {
			say(
				`copying the build failed (will retry on the next change): ${e instanceof Error ? e.message : String(e)}`,
			);
		}
	};
	function schedule(): void {
		if (closed) return;
		if (timer) clearTimeout(timer);
		timer = setTimeout(sync, SYNC_DEBOUNCE_MS);
	}
	// dist/ itself may be deleted and made again; package.json may be replaced by an editor
	const repoWatcher = fs.watch(repo, (_event, name) => {
		if (name === 'dist') rearmDist();
		if (name === 'dist' || name === 'package.json') schedule();
	});
	armDist();
	return {
		close() {
			closed = true;
			if (timer) clearTimeout(timer);
			distWatcher?.close();
			repoWatcher.close();
		},
	};
}
