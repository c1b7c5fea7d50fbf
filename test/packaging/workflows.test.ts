import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { parse } from 'yaml';

import { N8N_TARGETS } from '../real-n8n/versions';
import { ROOT, run } from './scripts';

const WORKFLOWS = path.join(ROOT, '.github/workflows');
const VALIDATOR = path.join(ROOT, 'node_modules/.bin/action-validator');

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
}
interface Workflow {
	on: Record<string, { branches?: string[]; tags?: string[] } | null>;
	permissions?: Record<string, string>;
	jobs: Record<
		string,
		{ strategy?: { matrix?: { node?: number[]; n8n?: string[] } }; steps: Step[] }
	>;
}

function workflow(file: string): Workflow {
	return parse(readFileSync(path.join(WORKFLOWS, file), 'utf8')) as Workflow;
}

const commands = (steps: Step[]) => steps.map((step) => step.run ?? step.uses ?? '');

describe('GitHub Actions workflows', () => {
	test.each(readdirSync(WORKFLOWS))('%s is a valid workflow (action-validator)', (file) => {
		const checked = run(VALIDATOR, [path.join(WORKFLOWS, file)]);

		expect(checked.stdout + checked.stderr).toBe('');
		expect(checked.status).toBe(0);
	});

	test('action-validator rejects a workflow that is not one', () => {
		const scratch = mkdtempSync(path.join(tmpdir(), 'workflow-'));
		try {
			const file = path.join(scratch, 'broken.yml');
			writeFileSync(file, 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    step: []\n');

			expect(run(VALIDATOR, [file]).status).not.toBe(0);
		} finally {
			rmSync(scratch, { recursive: true, force: true });
		}
	});

	test('CI installs from the lockfile and runs npm test on Node 20 and 24', () => {
		const ci = workflow('ci.yml');
		const [job] = Object.values(ci.jobs);

		expect(ci.on).toHaveProperty('pull_request');
		expect(job.strategy?.matrix?.node).toEqual([20, 24]);
		expect(commands(job.steps)).toEqual(
			expect.arrayContaining(['npm ci --no-audit --no-fund', 'npm test']),
		);
	});

	test('CI runs the phases .ci/run runs, as jobs: stress, faults, e2e on every tested n8n, queue', () => {
		const ci = workflow('ci.yml');
		const jobRunning = (command: string) =>
			Object.values(ci.jobs).filter((job) => commands(job.steps).includes(command));
		const script = readFileSync(path.join(ROOT, '.ci/run'), 'utf8');

		for (const command of ['npm run test:stress', 'npm run test:faults', 'npm run test:queue']) {
			expect(jobRunning(command)).toHaveLength(1);
			expect(script).toContain(command);
		}
		const [e2e] = jobRunning('npm run test:e2e');
		expect([...(e2e.strategy?.matrix?.n8n ?? [])].sort()).toEqual(
			N8N_TARGETS.map((target) => target.n8nVersion).sort(),
		);
		expect(script).toContain('npm run test:e2e');
	});

	test('a version tag publishes with provenance, after the guard, the build and the tests', () => {
		const publish = workflow('publish.yml');
		const [job] = Object.values(publish.jobs);
		const steps = commands(job.steps);
		const at = (command: string) => steps.indexOf(command);

		expect(Object.keys(publish.on)).toEqual(['push']);
		expect(publish.on.push?.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+']);
		expect(publish.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		expect(at('node scripts/publish-guard.mjs --before-build')).toBe(
			steps.findIndex((step) => !step.startsWith('actions/')),
		);
		expect(at('npm ci --no-audit --no-fund')).toBeGreaterThan(0);
		expect(at('npm test')).toBeGreaterThan(at('npm ci --no-audit --no-fund'));
		expect(at('npm publish --provenance --access public')).toBe(steps.length - 1);
	});
});
