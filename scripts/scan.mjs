/**
 * `npm run scan`: n8n's community package scanner (@n8n/scan-community-package), run on this
 * package before it is published. Its command line only scans packages already on npm, so
 * this runs the scanner's own analysis (`analyzePackage`) on the two things its command line
 * lints: the node and credential sources with package.json, and the files `npm pack` ships
 * (extracted from a fresh tarball). Prints the findings count; exits 1 unless it is zero.
 *
 * Run `npm run build` first (the npm script does): the tarball packs dist/ as it is.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The tarball leg lints what ships: compiled JavaScript and the published package.json. */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

/** Packs the package into `into` and extracts it there; returns the package folder. */
function packAndExtract(into) {
	const [{ filename }] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--silent', '--pack-destination', into], {
			cwd: root,
			encoding: 'utf8',
		}),
	);
	const packageDir = path.join(into, 'package');
	mkdirSync(packageDir);
	execFileSync('tar', [
		'-xzf',
		path.join(into, filename),
		'-C',
		packageDir,
		'--strip-components=1',
	]);
	return packageDir;
}

/** Findings in one leg: the errors and warnings in the report of ESLint's stylish formatter. */
function findingsIn(result) {
	if (result.passed) return 0;
	const summary = /(\d+) problems?/.exec((result.details ?? '').replace(/\u001b\[[0-9;]*m/g, ''));
	// An analysis that failed without a report counts as one finding: it must not pass.
	return summary ? Number(summary[1]) : 1;
}

const scratch = mkdtempSync(path.join(tmpdir(), 'n8n-nodes-blocks-scan-'));
try {
	const legs = [
		{ name: 'sources and package.json', dir: root, patterns: SOURCE_FILE_PATTERNS },
		{ name: 'packed tarball', dir: packAndExtract(scratch), patterns: TARBALL_FILE_PATTERNS },
	];
	let total = 0;
	for (const leg of legs) {
		const result = await analyzePackage(leg.dir, leg.patterns);
		const findings = findingsIn(result);
		total += findings;
		console.log(`scan (${leg.name}): ${findings} findings`);
		if (findings > 0) console.log(result.details ?? result.message);
	}
	console.log(`n8n community package scan: ${total} findings`);
	process.exitCode = total === 0 ? 0 : 1;
} finally {
	rmSync(scratch, { recursive: true, force: true });
}
