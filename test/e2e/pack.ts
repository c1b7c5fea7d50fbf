/** `npm pack` of the built package, checked for what n8n needs to load it and nothing more. */
import * as fs from 'fs';
import * as path from 'path';
import { run, withoutNpmScriptVariables } from '../real-n8n/processes';
import { repoRoot } from '../real-n8n/workflowFiles';
import { Checks, assert } from './checks';

/** Packs into `outDir`; returns the tarball, or undefined when the check failed. */
export async function packPackage(checks: Checks, outDir: string): Promise<string | undefined> {
	let tarball: string | undefined;
	await checks.check('package: npm pack holds the built node, credential and icons', async () => {
		fs.rmSync(outDir, { recursive: true, force: true });
		fs.mkdirSync(outDir, { recursive: true });
		const r = await run('npm', ['pack', '--json', '--pack-destination', outDir], {
			cwd: repoRoot(),
			env: withoutNpmScriptVariables(),
			timeoutMs: 120_000,
		});
		assert(r.code === 0, `npm pack failed: ${r.stderr}`);
		const info = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<{
			filename: string;
			files: Array<{ path: string }>;
		}>;
		const files = info[0].files.map((f) => f.path);
		const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as {
			n8n: { nodes: string[]; credentials: string[] };
			dependencies?: Record<string, string>;
		};
		// n8n installs community packages with their dependencies; this one must need none
		assert(
			Object.keys(pkg.dependencies ?? {}).length === 0,
			`runtime dependencies: ${Object.keys(pkg.dependencies ?? {}).join(', ')}`,
		);
		for (const want of [...pkg.n8n.nodes, ...pkg.n8n.credentials, 'package.json']) {
			assert(files.includes(want), `${want} is not in the tarball`);
		}
		const icons = files.filter((f) => f.endsWith('.svg') || f.endsWith('.png'));
		assert(
			icons.some((f) => f.startsWith('dist/nodes/')),
			'no node icon in the tarball',
		);
		assert(
			!files.some(
				(f) => f.startsWith('nodes/') || f.startsWith('test/') || f.startsWith('emulator/'),
			),
			'sources leaked into the tarball',
		);
		tarball = path.join(outDir, info[0].filename);
		return `${info[0].filename}: ${files.length} files`;
	});
	return tarball;
}
