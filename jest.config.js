/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// The load test runs on its own (`npm run test:faults`): it holds 200 waits for a full minute.
	testPathIgnorePatterns: ['/node_modules/', '\\.load\\.test\\.ts$'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	setupFilesAfterEnv: ['<rootDir>/test/support/teardown.ts'],
	reporters: ['default', '<rootDir>/test/support/summaryReporter.js'],
	testTimeout: 30_000,
};
