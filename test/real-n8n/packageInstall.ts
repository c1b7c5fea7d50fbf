/**
 * Puts this package into an n8n user folder the way n8n's own installer leaves a community
 * package: from the packed tarball (the e2e suite) or from the working copy's build (the dev
 * editor, re-synced after each rebuild).
 */
import * as fs from 'fs';
import * as path from 'path';
import { run } from './processes';

export const PACKAGE_NAME = 'n8n-nodes-blocks';

/** The folder n8n loads installed community packages from. */
export function packageDir(userFolder: string): string {
	return path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
}

function ensureNodesFolder(userFolder: string): void {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(path.join(nodesDir, 'node_modules'), { recursive: true });
	const pkgJson = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(pkgJson)) {
		fs.writeFileSync(pkgJson, JSON.stringify({ name: 'installed-nodes', private: true }, null, 2));
	}
}

/**
 * Unpacks an `npm pack` tarball into the community-packages folder the way n8n's own installer
 * does (2.x: `tar --strip-components=1`, then drops dev/peer/optional dependencies from the
 * package.json and records the package in the folder's package.json). n8n's installer then runs
 * `npm install` inside the package for its dependencies; this package has none, and n8n-workflow
 * comes from n8n itself (n8n puts its own modules on NODE_PATH).
 */
export async function installTarball(tarball: string, userFolder: string): Promise<string> {
	ensureNodesFolder(userFolder);
	const dest = packageDir(userFolder);
	fs.rmSync(dest, { recursive: true, force: true });
	fs.mkdirSync(dest, { recursive: true });
	const r = await run('tar', ['-xzf', tarball, '-C', dest, '--strip-components=1'], {
		timeoutMs: 60_000,
	});
	if (r.code !== 0) throw new Error(`tar failed: ${r.stderr}`);
	const ownPkgJson = path.join(dest, 'package.json');
	const own = JSON.parse(fs.readFileSync(ownPkgJson, 'utf8')) as Record<string, unknown> & {
		version: string;
	};
	fs.writeFileSync(ownPkgJson, JSON.stringify(installedPackageJson(own), null, 2));
	recordInstalled(userFolder, own.version);
	return dest;
}

/** What n8n's installer keeps of a package.json: no dev, peer or optional dependencies. */
function installedPackageJson(source: Record<string, unknown>): Record<string, unknown> {
	const own = { ...source };
	delete own.devDependencies;
	delete own.peerDependencies;
	delete own.optionalDependencies;
	return own;
}

/**
 * Copies the files of `src` into `dest` that are missing there or differ, and removes what `src`
 * no longer has. Files that are the same are not touched, so a watcher on `dest` (n8n's hot
 * reload) only sees real changes. Returns the relative paths written or removed.
 */
function syncTree(src: string, dest: string): string[] {
	const changed: string[] = [];
	const walk = (rel: string) => {
		const from = path.join(src, rel);
		const to = path.join(dest, rel);
		const seen = new Set<string>();
		fs.mkdirSync(to, { recursive: true });
		for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
			seen.add(entry.name);
			const childRel = path.join(rel, entry.name);
			const fromChild = path.join(from, entry.name);
			const toChild = path.join(to, entry.name);
			const isDir =
				entry.isDirectory() || (entry.isSymbolicLink() && fs.statSync(fromChild).isDirectory());
			let existing: fs.Stats | undefined;
			try {
				existing = fs.lstatSync(toChild);
			} catch {
				existing = undefined;
			}
			if (isDir) {
				if (existing && !existing.isDirectory()) fs.rmSync(toChild, { force: true });
				walk(childRel);
				continue;
			}
			if (existing?.isDirectory()) fs.rmSync(toChild, { recursive: true, force: true });
			const data = fs.readFileSync(fromChild);
			if (
				existing?.isFile() &&
				existing.size === data.length &&
				fs.readFileSync(toChild).equals(data)
			)
				continue;
			fs.writeFileSync(toChild, data);
			changed.push(childRel);
		}
		for (const name of fs.readdirSync(to)) {
			if (seen.has(name)) continue;
			fs.rmSync(path.join(to, name), { recursive: true, force: true });
			changed.push(path.join(rel, name));
		}
	};
	walk('');
	return changed;
}

/**
 * Installs a working copy into the community-packages folder the way an installed package looks:
 * a real folder with the package.json and `dist/` (no node_modules), so `require('n8n-workflow')`
 * from the package resolves to n8n's own copy, never to the repository's devDependency.
 * A symlink left there by an older setup is replaced (the link only, never what it points to).
 * Returns the package folder and the files that changed; call again after a rebuild.
 */
export function installWorkingCopy(
	repoRoot: string,
	userFolder: string,
): { dir: string; changed: string[] } {
	ensureNodesFolder(userFolder);
	const dest = packageDir(userFolder);
	let st: fs.Stats | undefined;
	try {
		st = fs.lstatSync(dest);
	} catch {
		st = undefined;
	}
	if (st && !st.isDirectory()) fs.unlinkSync(dest); // a symlink (or a stray file): remove the link itself
	fs.mkdirSync(dest, { recursive: true });
	const changed: string[] = [];
	const source = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<
		string,
		unknown
	> & { version: string };
	const pkgText = `${JSON.stringify(installedPackageJson(source), null, 2)}\n`;
	const pkgFile = path.join(dest, 'package.json');
	if (!fs.existsSync(pkgFile) || fs.readFileSync(pkgFile, 'utf8') !== pkgText) {
		fs.writeFileSync(pkgFile, pkgText);
		changed.push('package.json');
	}
	const dist = path.join(repoRoot, 'dist');
	if (!fs.existsSync(dist)) throw new Error(`${dist} does not exist: run npm run build first`);
	changed.push(...syncTree(dist, path.join(dest, 'dist')).map((f) => path.join('dist', f)));
	// anything else in the folder (e.g. a node_modules) is not part of an installed package
	for (const name of fs.readdirSync(dest)) {
		if (name === 'package.json' || name === 'dist') continue;
		fs.rmSync(path.join(dest, name), { recursive: true, force: true });
		changed.push(name);
	}
	recordInstalled(userFolder, source.version);
	return { dir: dest, changed };
}

function recordInstalled(userFolder: string, version: string): void {
	const pkgJson = path.join(userFolder, '.n8n', 'nodes', 'package.json');
	const pkg = JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as {
		dependencies?: Record<string, string>;
	};
	if (pkg.dependencies?.[PACKAGE_NAME] === version) return;
	pkg.dependencies = { ...(pkg.dependencies ?? {}), [PACKAGE_NAME]: version };
	fs.writeFileSync(pkgJson, JSON.stringify(pkg, null, 2));
}

/**
 * Copies of n8n-workflow that Node would find from the installed package folder before n8n's own
 * (n8n's copy comes last, through NODE_PATH): any `node_modules/n8n-workflow` in the package
 * folder or a folder above it. Should be empty.
 */
export function shadowingN8nWorkflow(pkgDir: string): string[] {
	const found: string[] = [];
	let dir = fs.realpathSync(pkgDir);
	for (;;) {
		const candidate = path.join(dir, 'node_modules', 'n8n-workflow');
		if (fs.existsSync(path.join(candidate, 'package.json'))) found.push(candidate);
		const parent = path.dirname(dir);
		if (parent === dir) return found;
		dir = parent;
	}
}
