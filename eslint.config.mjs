import communityNodes from '@n8n/eslint-plugin-community-nodes';
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

// eslint-plugin-n8n-nodes-base ships legacy (eslintrc) configs: lift their rules into flat config.
const legacyRules = (name) => n8nNodesBase.configs[name].rules;

/** What ships: the node and the credential, held to n8n's community and nodes rule sets. */
const shipped = ['nodes/**/*.ts', 'credentials/**/*.ts'];
/** Everything else written in TypeScript: emulator, engine harness, e2e, scripts, tests. */
const tooling = [
	'emulator/**/*.ts',
	'engine/**/*.ts',
	'e2e/**/*.ts',
	'dev/**/*.ts',
	'tooling/**/*.ts',
	'scripts/**/*.ts',
	'test/**/*.ts',
];

export default [
	{ ignores: ['dist/**', 'build/**', 'node_modules/**', 'coverage/**', '.e2e/**'] },

	{
		files: shipped,
		languageOptions: {
			parser: tsParser,
			parserOptions: { project: './tsconfig.json', sourceType: 'module' },
		},
	},
	...[communityNodes.configs.recommended].map((config) => ({ ...config, files: shipped })),
	{
		files: ['package.json'],
		languageOptions: { parser: (await import('jsonc-eslint-parser')).default },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: legacyRules('community'),
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...legacyRules('credentials'),
			// Applies to n8n's own repository, whose credentials link to docs by slug.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...legacyRules('nodes'),
			// Predates NodeConnectionTypes, which @n8n/community-nodes asks for instead of 'main'.
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
		},
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
