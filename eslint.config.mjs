import js from '@eslint/js';
import communityNodes from '@n8n/eslint-plugin-community-nodes';
import tsParser from '@typescript-eslint/parser';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
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

const onShipped = (configs) => configs.map((config) => ({ ...config, files: shipped }));

export default [
	{ ignores: ['dist/**', 'build/**', 'node_modules/**', 'coverage/**', '.e2e/**'] },

	// The node and the credential, and package.json: the rule sets of the config n8n's own
	// tooling ships (@n8n/node-cli 0.48.3, dist/configs/eslint.js, what `n8n-node lint` runs and
	// what n8n's scanner mirrors), block for block. Every rule applies: the only rules off are
	// the ones that config turns off itself, each with n8n's reason.
	...onShipped([
		js.configs.recommended,
		...tseslint.configs.recommended,
		communityNodes.configs.recommended,
		importX.flatConfigs.recommended,
	]),
	{
		files: shipped,
		languageOptions: {
			parser: tsParser,
			parserOptions: { project: './tsconfig.json', sourceType: 'module' },
		},
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		// n8n's scanner ignores eslint-disable comments, so shipped code may not lean on them.
		linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'error' },
		settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
		rules: {
			'prefer-spread': 'off',
			'no-console': 'error',
		},
	},
	{
		// The TypeScript parser, not a JSON one: the community package.json rules (no runtime
		// dependencies, no lifecycle scripts, a valid author...) walk the object literal it
		// produces, and under a JSON parser they never fire.
		files: ['package.json'],
		...communityNodes.configs.recommended,
		plugins: { ...communityNodes.configs.recommended.plugins, 'n8n-nodes-base': n8nNodesBase },
		rules: { ...communityNodes.configs.recommended.rules, ...legacyRules('community') },
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...legacyRules('credentials'),
			// Off in n8n's config: it applies to n8n's own repository, whose credentials link to
			// docs by slug.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			// Off in n8n's config: @n8n/community-nodes/credential-password-field checks the same.
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...legacyRules('nodes'),
			// Off in n8n's config: they predate NodeConnectionTypes, which
			// @n8n/community-nodes asks for instead of 'main'.
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			// Off in n8n's config: an API's own maximum (a page size, say) is a valid maxValue.
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
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
