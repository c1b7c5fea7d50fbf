import nodeCli from '@n8n/node-cli/eslint';
import tsParser from '@typescript-eslint/parser';
import tseslint from 'typescript-eslint';

/** What ships: the node and the credential, held to n8n's community and nodes rule sets. */
const shipped = ['nodes/**/*.ts', 'credentials/**/*.ts'];
/** Everything else written in TypeScript: the emulator, the maintainers' scripts, the checks. */
const tooling = ['emulator/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts'];

/**
 * The config n8n's own tooling ships, imported as it is (`@n8n/node-cli/eslint`, what
 * `n8n-node lint` runs and n8n's scanner mirrors), only held to what ships: it lints every
 * `.ts` file, and here the tooling is not the published package. Its package.json, nodes and
 * credentials blocks stay as they are; so do the rules it turns off, each with n8n's reason in
 * its source.
 */
const n8nConfig = nodeCli.config.map((block) => ({
	...block,
	...(block.files?.includes('**/*.ts') || (!block.files && !block.ignores)
		? { files: block.files ? shipped : [...shipped, 'package.json'] }
		: {}),
	...(block.rules ? { rules: warningsAsErrors(block.rules) } : {}),
}));

/**
 * Zero warnings: what n8n's config warns about fails the lint here. (`n8n-node lint`, which
 * `npm run lint` runs, passes no --max-warnings to ESLint.)
 */
function warningsAsErrors(rules) {
	const warns = (level) => level === 'warn' || level === 1;
	return Object.fromEntries(
		Object.entries(rules).map(([rule, setting]) => [
			rule,
			warns(setting)
				? 'error'
				: Array.isArray(setting) && warns(setting[0])
					? ['error', ...setting.slice(1)]
					: setting,
		]),
	);
}

export default [
	{ ignores: ['dist/**', 'build/**', 'node_modules/**', 'coverage/**', '.e2e/**'] },

	...n8nConfig,
	// The project's own, on top, for what ships.
	{
		files: shipped,
		languageOptions: {
			parser: tsParser,
			parserOptions: { project: './tsconfig.json', sourceType: 'module' },
		},
		// n8n's scanner ignores eslint-disable comments, so shipped code may not lean on them.
		linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'error' },
	},

	// Tooling: typescript-eslint's recommended rules, and no promise left unhandled (a forgotten
	// await in a test or a script is a race or a hang).
	...tseslint.configs.recommended.map((config) => ({ ...config, files: tooling })),
	{
		files: tooling,
		languageOptions: {
			parser: tsParser,
			parserOptions: { project: './tsconfig.test.json', sourceType: 'module' },
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
			],
		},
	},
	{
		files: ['**/*.js', '**/*.mjs'],
		languageOptions: {
			sourceType: 'commonjs',
			globals: {
				require: 'readonly',
				module: 'writable',
				process: 'readonly',
				__dirname: 'readonly',
			},
		},
	},
	{ files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
];
