import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { ROOT, run } from './scripts';

interface PackReport {
	size: number;
	unpackedSize: number;
	files: Array<{ path: string }>;
}

/** What `npm pack` would put in the tarball, without writing one. */
function packListing(): PackReport {
	const packed = run('npm', ['pack', '--dry-run', '--json', '--silent']);
	if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
	return (JSON.parse(packed.stdout) as PackReport[])[0];
}

function filesUnder(dir: string): string[] {
	return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

/** The shipped files the sources call for: compiled code, icons and codex files, by source. */
function expectedDist(): string[] {
	return ['nodes', 'credentials'].flatMap((dir) =>
		filesUnder(dir).flatMap((file) => {
			if (file.endsWith('.ts')) return [`dist/${file.replace(/\.ts$/, '.js')}`];
			if (/\.(svg|png)$/.test(file) || file.endsWith('.node.json')) return [`dist/${file}`];
			return [];
		}),
	);
}

describe('the npm package', () => {
	// Built by `npm test` before Jest starts (`npm run build`), as it is before a publish.
	const report = packListing();
	const packed = report.files.map((file) => file.path).sort();

	test('holds exactly the built node and credential, README, LICENSE, CHANGELOG and package.json', () => {
		process.stdout.write(
			`npm package: ${packed.length} files, ${(report.size / 1024).toFixed(1)} kB packed, ${(report.unpackedSize / 1024).toFixed(1)} kB unpacked\n`,
		);

		expect(packed).toEqual(
			[...expectedDist(), 'CHANGELOG.md', 'LICENSE', 'README.md', 'package.json'].sort(),
		);
	});

	test('holds every file the n8n section of package.json names', () => {
		const { n8n } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
			n8n: { nodes: string[]; credentials: string[] };
		};

		expect(n8n.nodes.length + n8n.credentials.length).toBeGreaterThan(0);
		for (const file of [...n8n.nodes, ...n8n.credentials]) expect(packed).toContain(file);
	});

	test('holds each icon the node and credential name, next to their code', () => {
		for (const source of ['nodes/Blocks/Blocks.node.ts', 'credentials/BlocksApi.credentials.ts']) {
			const icons = [...readFileSync(path.join(ROOT, source), 'utf8').matchAll(/'file:([^']+)'/g)];
			expect(icons.length).toBeGreaterThan(0);
			for (const [, icon] of icons) {
				expect(packed).toContain(`dist/${path.dirname(source)}/${icon}`);
			}
		}
	});

	test('ships no sources, tests, source maps, emulator or tooling', () => {
		const unwanted = packed.filter(
			(file) =>
				/\.(ts|map)$/.test(file) ||
				/^(test|emulator|scripts|examples|docs|build|\.github|\.ci)\//.test(file),
		);

		expect(unwanted).toEqual([]);
	});
});
