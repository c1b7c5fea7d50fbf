import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/** The user docs and the contributor's page, as paths from the repository root. */
export function documentationFiles(): string[] {
	const manual = readdirSync(path.join(ROOT, 'docs'))
		.filter((file) => file.endsWith('.md'))
		.map((file) => `docs/${file}`);
	return ['README.md', 'CONTRIBUTING.md', ...manual.sort()];
}

export function read(file: string): string {
	return readFileSync(path.join(ROOT, file), 'utf8');
}

/** The text outside fenced code blocks, line by line (fenced lines become empty, so numbers stay). */
export function proseLines(markdown: string): string[] {
	let fence: string | undefined;
	return markdown.split('\n').map((line) => {
		const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
		if (marker && (!fence || marker.startsWith(fence))) {
			fence = fence ? undefined : marker;
			return '';
		}
		return fence ? '' : line;
	});
}

/** A line without its inline code spans. */
function withoutCodeSpans(line: string): string {
	return line.replace(/(`+)[^`]*?\1/g, '');
}

export interface Link {
	line: number;
	target: string;
}

/** Inline links and images (`[text](target)`, `![alt](target)`) and reference definitions. */
export function links(markdown: string): Link[] {
	const found: Link[] = [];
	proseLines(markdown).forEach((raw, index) => {
		const line = withoutCodeSpans(raw);
		for (const match of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
			found.push({ line: index + 1, target: match[1] });
		}
		const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(line);
		if (definition) found.push({ line: index + 1, target: definition[1] });
	});
	return found;
}

export interface NamedPath {
	line: number;
	path: string;
}

/**
 * Code spans outside fenced blocks that name a relative path: a folder (`test/node/`) or a file
 * (`emulator/cli.ts`), read without a `#anchor` or `:line` suffix. Patterns (`<name>`, `*`),
 * absolute and home paths and URLs are left out.
 */
export function namedPaths(markdown: string): NamedPath[] {
	const found: NamedPath[] = [];
	proseLines(markdown).forEach((line, index) => {
		for (const match of line.matchAll(/`([^`\s]+)`/g)) {
			const named = match[1].replace(/#.*$/, '').replace(/:\d+(-\d+)?$/, '');
			if (/^[\w.@-]+(\/[\w.@-]+)*(\/|\.\w+)$/.test(named) && named.includes('/')) {
				found.push({ line: index + 1, path: named });
			}
		}
	});
	return found;
}

export interface Heading {
	level: number;
	text: string;
}

export function headings(markdown: string): Heading[] {
	return proseLines(markdown).flatMap((line) => {
		const match = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
		return match ? [{ level: match[1].length, text: match[2] }] : [];
	});
}

/**
 * The anchors GitHub gives a Markdown file's headings: the heading as rendered (code spans, links
 * and emphasis reduced to their text), lower-cased, with every character that is not a letter,
 * digit, space, hyphen or underscore dropped and each space made a hyphen; a repeated slug gets
 * `-1`, `-2`, … Explicit `<a id>` / `<a name>` anchors count too.
 */
export function anchors(markdown: string): Set<string> {
	const seen = new Map<string, number>();
	const result = new Set<string>();
	for (const heading of headings(markdown)) {
		const slug = githubSlug(heading.text);
		const count = seen.get(slug) ?? 0;
		seen.set(slug, count + 1);
		result.add(count === 0 ? slug : `${slug}-${count}`);
	}
	for (const match of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) result.add(match[1]);
	return result;
}

function githubSlug(heading: string): string {
	const rendered = heading
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/`([^`]*)`/g, '$1')
		.replace(/<[^>]+>/g, '')
		.replace(/(\*\*|__|\*|_)(.+?)\1/g, '$2');
	return rendered
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

export interface TableRow {
	line: number;
	/** The header cells of the table the row is in. */
	header: string[];
	cells: string[];
}

/** Every body row of every Markdown table, with its table's header. */
export function tableRows(markdown: string): TableRow[] {
	const rows: TableRow[] = [];
	const lines = proseLines(markdown);
	let header: string[] | undefined;
	lines.forEach((line, index) => {
		if (!line.trim().startsWith('|')) {
			header = undefined;
			return;
		}
		const cells = splitRow(line);
		if (!header) {
			header = cells;
			return;
		}
		if (cells.every((cell) => /^:?-+:?$/.test(cell))) return;
		rows.push({ line: index + 1, header, cells });
	});
	return rows;
}

function splitRow(line: string): string[] {
	const cells: string[] = [];
	let current = '';
	let inCode = false;
	const body = line.trim().replace(/^\|/, '').replace(/\|$/, '');
	for (let i = 0; i < body.length; i += 1) {
		const char = body[i];
		if (char === '\\' && body[i + 1] === '|') {
			current += '|';
			i += 1;
		} else if (char === '`') {
			inCode = !inCode;
			current += char;
		} else if (char === '|' && !inCode) {
			cells.push(current.trim());
			current = '';
		} else current += char;
	}
	cells.push(current.trim());
	return cells;
}
