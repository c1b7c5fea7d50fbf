/**
 * Refuses a publish that would not be verifiable (`prepublishOnly`, and the publish workflow's
 * first step). n8n verifies only packages published from GitHub Actions with npm provenance,
 * and the package's author must be a reachable publisher, not the placeholder it ships with
 * until the project has an address of its own. npm also refuses a provenance publish whose
 * package.json names no repository, or another one than the workflow's.
 *
 * `--before-build` checks only what the workflow can know before npm runs: the author, the
 * repository and the tag. Without it (as `prepublishOnly`) it also checks that npm itself is publishing from
 * GitHub Actions with provenance. `--package-json <file>` checks another manifest (for the
 * guard's own tests). Prints every reason and exits 1 if there is one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** RFC 2606 reserves these for examples: an address there reaches no one. */
const RESERVED_DOMAIN =
	/@(?:[^@]*\.)?(?:example\.(?:com|net|org)|[^@]+\.(?:example|invalid|test|localhost))$/i;

const args = process.argv.slice(2);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = args.includes('--package-json')
	? path.resolve(args[args.indexOf('--package-json') + 1])
	: path.join(root, 'package.json');
const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
const env = process.env;
const beforeBuild = args.includes('--before-build');

const reasons = [];
const email = typeof pkg.author === 'object' ? pkg.author?.email : undefined;
if (!email || RESERVED_DOMAIN.test(email)) {
	reasons.push(
		`package.json's author email (${email ?? 'none'}) is a placeholder: set the publisher's real address first.`,
	);
}
const repository = typeof pkg.repository === 'object' ? pkg.repository?.url : pkg.repository;
if (!repository) {
	reasons.push(
		"package.json names no repository: add the project's own, where this workflow runs (npm requires provenance and repository to agree).",
	);
}
if (env.GITHUB_REF_TYPE === 'tag' && env.GITHUB_REF_NAME !== `v${pkg.version}`) {
	reasons.push(
		`The tag ${env.GITHUB_REF_NAME} does not match package.json's version ${pkg.version}.`,
	);
}
if (!beforeBuild) {
	if (env.GITHUB_ACTIONS !== 'true') {
		reasons.push('Publish from the GitHub Actions release workflow, not from a local machine.');
	}
	if (env.npm_config_provenance !== 'true') {
		reasons.push('Publish with npm provenance (npm publish --provenance).');
	}
	if (!env.ACTIONS_ID_TOKEN_REQUEST_URL) {
		reasons.push("The workflow has no OIDC token for provenance: it needs 'id-token: write'.");
	}
}

for (const reason of reasons) console.error(`publish refused: ${reason}`);
process.exitCode = reasons.length === 0 ? 0 : 1;
