import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ROOT, run } from './scripts';

const ESLINT = path.join(ROOT, 'node_modules/eslint/bin/eslint.js');

/** Lints `text` as the repository's package.json with the repository's ESLint config. */
function lintAsPackageJson(text: string): string[] {
	const linted = run(
		process.execPath,
		[ESLINT, '--stdin', '--stdin-filename', 'package.json', '--format', 'json'],
		{ input: text },
	);
	const [result] = JSON.parse(linted.stdout) as Array<{ messages: Array<{ ruleId: string }> }>;
	return result.messages.map((message) => message.ruleId);
}

/** Each lint starts ESLint with the whole config: seconds, more on a loaded machine. */
const LINT_TIMEOUT_MS = 120_000;

const packageJson = readFileSync(path.join(ROOT, 'package.json'), 'utf8');

describe("package.json is linted by n8n's community package rules", () => {
	test(
		'the package as it is passes',
		() => {
			expect(lintAsPackageJson(packageJson)).toEqual([]);
		},
		LINT_TIMEOUT_MS,
	);

	test(
		'a runtime dependency and a postinstall script each fail it',
		() => {
			const manifest = JSON.parse(packageJson) as Record<string, unknown>;
			const scratch = {
				...manifest,
				dependencies: { axios: '1.0.0' },
				scripts: { ...(manifest.scripts as object), postinstall: 'node setup.js' },
			};

			expect(lintAsPackageJson(JSON.stringify(scratch, null, '\t'))).toEqual(
				expect.arrayContaining([
					'@n8n/community-nodes/no-runtime-dependencies',
					'@n8n/community-nodes/no-forbidden-lifecycle-scripts',
				]),
			);
		},
		LINT_TIMEOUT_MS,
	);

	test(
		'an author without an email fails it',
		() => {
			const scratch = { ...JSON.parse(packageJson), author: { name: 'Someone' } };

			expect(lintAsPackageJson(JSON.stringify(scratch))).toContain(
				'@n8n/community-nodes/valid-author',
			);
		},
		LINT_TIMEOUT_MS,
	);
});
