import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const PRETTIER = require.resolve('prettier/bin/prettier.cjs');

/**
 * Replaces what stands between `<!-- name:start -->` and `<!-- name:end -->` in a Markdown file
 * with `body`, then formats the file with the project's Prettier settings, so a generated
 * section passes `prettier --check` like the text around it.
 */
export function writeMarkdownSection(file: string, name: string, body: string): void {
	const start = `<!-- ${name}:start -->`;
	const end = `<!-- ${name}:end -->`;
	const text = readFileSync(file, 'utf8');
	const from = text.indexOf(start);
	const to = text.indexOf(end);
	if (from < 0 || to < from) throw new Error(`${file} has no ${start} … ${end} section`);
	const updated = `${text.slice(0, from + start.length)}\n\n${body.trim()}\n\n${text.slice(to)}`;
	writeFileSync(file, updated);
	execFileSync(process.execPath, [PRETTIER, '--write', '--log-level', 'warn', file]);
}
