import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

import {
	anchors,
	documentationFiles,
	headings,
	links,
	namedPaths,
	proseLines,
	read,
	ROOT,
	tableRows,
} from './markdown';
import { allFields, allOperations, fieldKey, TRIGGER_NAME, type Field } from './nodeFields';

/**
 * The docs against the code, so they cannot drift apart unseen. Read: README.md,
 * CONTRIBUTING.md, docs/*.md (the manual is docs/, but for the API contract, docs/blocks-api.md)
 * and the codex files.
 *
 * How the docs name things, which is what this test reads:
 * - An operation is named by a heading of the manual that holds ` › ` (`## Session › Create`),
 *   and in the README's Operations list by an item starting with it in bold
 *   (`- **Session › Create**: …`). Any heading with ` › ` must be a real operation.
 * - A field is named in the first cell of a table whose header's first cell is `Field`, as
 *   `Display Name (\`parameterName\`)`: several as `A / B (\`a\`, \`b\`)` or `A, B (\`a\`, \`b\`)`,
 *   a collection's option after the collection's name, `Options › Title (\`title\`)`. Every row of
 *   such a table must have that form. Display names are compared exactly with the node's.
 * - A repository path is named in a code span (`test/node/`, `emulator/cli.ts`); an example by its
 *   path, `examples/<name>.workflow.json`; a script by `npm run <name>`;
 *   an install snippet's version by `n8n-nodes-blocks-<version>.tgz`, `n8n-nodes-blocks@<version>`
 *   or `"name":"n8n-nodes-blocks","version":"<version>"`.
 */
const manifest = JSON.parse(read('package.json')) as {
	version: string;
	scripts: Record<string, string>;
	repository?: string | { url?: string };
};
const FILES = documentationFiles();
/** The API contract describes Blocks' fields, not the node's: it is linked, not read for names. */
const CONTRACT = 'docs/blocks-api.md';
const MANUAL = FILES.filter((file) => file.startsWith('docs/') && file !== CONTRACT);
const CODEX_FILES = readdirSync(path.join(ROOT, 'nodes/Blocks'))
	.filter((file) => file.endsWith('.node.json'))
	.map((file) => `nodes/Blocks/${file}`);

/** Problems with a link from `from` (a repository path) to `target` (relative, maybe with an anchor). */
function linkProblem(from: string, target: string): string | undefined {
	const [file, anchor] = target.split('#', 2) as [string, string | undefined];
	const resolved =
		file === '' ? from : path.posix.normalize(path.posix.join(path.posix.dirname(from), file));
	if (resolved.startsWith('..') || !existsSync(path.join(ROOT, resolved))) {
		return `${target}: no file ${resolved}`;
	}
	if (anchor === undefined || anchor === '') return undefined;
	if (statSync(path.join(ROOT, resolved)).isDirectory() || !resolved.endsWith('.md')) {
		return /^L\d+(-L\d+)?$/.test(anchor)
			? undefined
			: `${target}: an anchor into a file that has no headings`;
	}
	return anchors(read(resolved)).has(anchor)
		? undefined
		: `${target}: ${resolved} has no heading #${anchor}`;
}

const isExternal = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target);

/** The codex files' documentation links: `https://github.com/<owner>/<repo>/blob/<branch>/<path>`. */
const GITHUB_FILE = /^https:\/\/github\.com\/([^/]+\/[^/#]+)\/blob\/[^/]+\/([^#]+(?:#.*)?)$/;

interface CodexFile {
	resources?: { primaryDocumentation?: Array<{ url: string }> };
}

describe('the docs', () => {
	test('every relative link and anchor resolves', () => {
		const problems = FILES.flatMap((file) =>
			links(read(file))
				.filter((link) => !isExternal(link.target))
				.flatMap((link) => {
					const problem = linkProblem(file, link.target);
					return problem ? [`${file}:${link.line}: ${problem}`] : [];
				}),
		);
		expect(problems).toEqual([]);
	});

	test("the codex files link to pages of the manual that exist, in this package's repository", () => {
		const repositories = new Set<string>();
		const problems = CODEX_FILES.flatMap((file) => {
			const codex = JSON.parse(read(file)) as CodexFile;
			const urls = (codex.resources?.primaryDocumentation ?? []).map((entry) => entry.url);
			if (urls.length === 0) return [`${file}: no primaryDocumentation`];
			return urls.flatMap((url) => {
				const match = GITHUB_FILE.exec(url);
				if (!match) return [`${file}: ${url} is not a file of the repository on GitHub`];
				repositories.add(match[1]);
				const problem = linkProblem('', match[2]);
				return problem ? [`${file}: ${problem}`] : [];
			});
		});
		expect(problems).toEqual([]);
		expect(repositories.size).toBe(1);
		const repository =
			typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
		if (repository) expect(repository).toContain(`github.com/${[...repositories][0]}`);
	});

	test("every version in an install snippet is package.json's", () => {
		const patterns = [
			/n8n-nodes-blocks-(\d+\.\d+\.\d+[\w.-]*?)\.tgz/g,
			/n8n-nodes-blocks@(\d+\.\d+\.\d+[\w.-]*)/g,
			/"name"\s*:\s*"n8n-nodes-blocks"\s*,\s*"version"\s*:\s*"([^"]+)"/g,
		];
		const versions = FILES.flatMap((file) =>
			read(file)
				.split('\n')
				.flatMap((line, index) =>
					patterns.flatMap((pattern) =>
						[...line.matchAll(pattern)].map((match) => `${file}:${index + 1}: ${match[1]}`),
					),
				),
		);
		expect(versions.length).toBeGreaterThan(0);
		expect(versions.filter((entry) => !entry.endsWith(`: ${manifest.version}`))).toEqual([]);
	});

	test('every example named exists, and the README names every example', () => {
		const examples = readdirSync(path.join(ROOT, 'examples')).sort();
		const missing = FILES.flatMap((file) =>
			[...read(file).matchAll(/examples\/([\w.-]+\.json)/g)]
				.map((match) => match[1])
				.filter((name) => !examples.includes(name))
				.map((name) => `${file}: examples/${name}`),
		);
		expect(missing).toEqual([]);
		const readme = read('README.md');
		expect(examples.filter((name) => !readme.includes(`examples/${name}`))).toEqual([]);
	});

	test('every path named in a code span exists', () => {
		// Written by a build, a run or a packing, so absent from a fresh clone.
		const generated = ['dist', 'build', 'bench-results', '.e2e', 'node_modules'];
		// "How to add an operation" names the files its steps have you write.
		const toBeWritten = [
			'nodes/Blocks/actions/session/archive.operation.ts',
			'test/node/session.archive.test.ts',
		];
		// A path is read from the repository root, or from the node's folders as the Layout shows
		// them: `transport/` in nodes/Blocks/, `session/get.operation.ts` in nodes/Blocks/actions/.
		const exists = (named: string) =>
			['', 'nodes/Blocks', 'nodes/Blocks/actions'].some((base) =>
				existsSync(path.join(ROOT, base, named)),
			);
		const named = FILES.filter((file) => file !== CONTRACT).flatMap((file) =>
			namedPaths(read(file)).map((entry) => ({ ...entry, file })),
		);
		const missing = named
			.filter((entry) => !generated.includes(entry.path.split('/')[0]))
			.filter((entry) => !toBeWritten.includes(entry.path) && !exists(entry.path))
			.map((entry) => `${entry.file}:${entry.line}: ${entry.path}`);
		expect(named.length).toBeGreaterThan(50);
		expect(missing).toEqual([]);
	});

	test('every `npm run` named is a script of package.json', () => {
		const unknown = FILES.flatMap((file) =>
			[...read(file).matchAll(/\bnpm run(?: -s| --silent)? ([\w:.-]+)/g)]
				.map((match) => match[1])
				.filter((name) => !(name in manifest.scripts))
				.map((name) => `${file}: npm run ${name}`),
		);
		expect(unknown).toEqual([]);
	});
});

describe('the manual and the node', () => {
	const operations = allOperations();

	test('the manual has a section for every operation and none for an operation that does not exist', () => {
		const named = MANUAL.flatMap((file) =>
			headings(read(file))
				.filter((heading) => heading.text.includes(' › '))
				.map((heading) => heading.text),
		);
		expect(operations.length).toBeGreaterThan(0);
		expect(named.filter((name) => !operations.includes(name))).toEqual([]);
		expect(operations.filter((operation) => !named.includes(operation))).toEqual([]);
		const titles = MANUAL.flatMap((file) => headings(read(file)).map((heading) => heading.text));
		expect(titles).toContain(TRIGGER_NAME);
	});

	test("the README's Operations list is the node's operations and the trigger, no more", () => {
		const lines = proseLines(read('README.md'));
		const start = lines.indexOf('## Operations');
		const end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
		const listed = lines
			.slice(start, end)
			.flatMap((line) => /^- \*\*(.+?)\*\*/.exec(line)?.[1] ?? []);
		expect(start).toBeGreaterThan(-1);
		expect([...listed].sort()).toEqual([...operations, TRIGGER_NAME].sort());
	});

	test('every field of the node, the trigger and the credential is in the manual, and the manual names none that is not', () => {
		const known = new Map(allFields().map((field) => [fieldKey(field), field]));
		const documented = new Set<string>();
		const problems: string[] = [];
		for (const file of MANUAL) {
			for (const row of tableRows(read(file)).filter((r) => r.header[0] === 'Field')) {
				const fields = fieldsNamedIn(row.cells[0]);
				if (!fields) {
					problems.push(`${file}:${row.line}: "${row.cells[0]}" is not "Display Name (\`name\`)"`);
					continue;
				}
				for (const field of fields) {
					if (known.has(fieldKey(field))) documented.add(fieldKey(field));
					else problems.push(`${file}:${row.line}: no field ${fieldKey(field)}`);
				}
			}
		}
		expect(problems).toEqual([]);
		expect([...known.keys()].filter((key) => !documented.has(key))).toEqual([]);
	});
});

/** The fields a `Field` table's first cell names, or undefined when it is not in the agreed form. */
function fieldsNamedIn(cell: string): Field[] | undefined {
	const match = /^(.+?) \((`[^`]+`(?:, `[^`]+`)*)\)$/.exec(cell);
	if (!match) return undefined;
	const names = [...match[2].matchAll(/`([^`]+)`/g)].map((name) => name[1]);
	const cut = match[1].lastIndexOf(' › ');
	const prefix = cut < 0 ? '' : match[1].slice(0, cut + 3);
	const displayNames = match[1].slice(prefix.length).split(/, | \/ /);
	if (displayNames.length !== names.length) return undefined;
	return names.map((name, index) => ({ displayName: `${prefix}${displayNames[index]}`, name }));
}
