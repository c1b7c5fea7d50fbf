import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { localEnv, ROOT, run } from './scripts';

const GUARD = 'scripts/publish-guard.mjs';
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
	version: string;
};

/** What GitHub Actions and `npm publish --provenance` set in a release job. */
const releaseJob = {
	GITHUB_ACTIONS: 'true',
	GITHUB_REF_TYPE: 'tag',
	GITHUB_REF_NAME: `v${manifest.version}`,
	ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1/token',
	npm_config_provenance: 'true',
};

let scratch: string;
let realAuthor: string;
beforeAll(() => {
	scratch = mkdtempSync(path.join(tmpdir(), 'publish-guard-'));
	realAuthor = path.join(scratch, 'package.json');
	writeFileSync(
		realAuthor,
		JSON.stringify({
			...manifest,
			author: { name: 'Maintainers', email: 'maintainers@n8n-nodes-blocks.dev' },
			repository: { type: 'git', url: 'git+https://github.com/owner/n8n-nodes-blocks.git' },
		}),
	);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function guard(env: Record<string, string>, ...args: string[]) {
	return run(process.execPath, [GUARD, ...args], { env: localEnv(env) });
}

describe('the publish guard', () => {
	test('lets a release job with provenance through', () => {
		const result = guard(releaseJob, '--package-json', realAuthor);

		expect(result).toMatchObject({ status: 0, stderr: '' });
	});

	test('refuses a publish from a local machine', () => {
		const result = guard({}, '--package-json', realAuthor);

		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/not from a local machine/);
	});

	test('refuses a publish without provenance, or without the OIDC token it needs', () => {
		const { npm_config_provenance: _provenance, ...withoutProvenance } = releaseJob;
		const { ACTIONS_ID_TOKEN_REQUEST_URL: _token, ...withoutToken } = releaseJob;

		expect(guard(withoutProvenance, '--package-json', realAuthor).stderr).toMatch(/--provenance/);
		expect(guard(withoutToken, '--package-json', realAuthor).stderr).toMatch(/id-token: write/);
	});

	test('refuses while the author email is the placeholder, even before the build', () => {
		const result = guard(releaseJob, '--before-build');

		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/author email \(maintainers@example\.com\) is a placeholder/);
	});

	test('refuses while package.json names no repository', () => {
		expect(guard(releaseJob, '--before-build').stderr).toMatch(/names no repository/);
	});

	test('refuses a tag that is not the package version', () => {
		const result = guard(
			{ ...releaseJob, GITHUB_REF_NAME: 'v0.0.1' },
			'--package-json',
			realAuthor,
		);

		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/tag v0\.0\.1 does not match/);
	});
});
