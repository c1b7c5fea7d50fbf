import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/**
 * The environment of a local shell: none of the variables GitHub Actions or `npm publish`
 * set, so a test that runs inside CI sees what it would see on a laptop unless it adds them.
 */
export function localEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^(GITHUB_|ACTIONS_|RUNNER_)/.test(key) || /^npm_config_provenance$/i.test(key)) continue;
		env[key] = value;
	}
	return { ...env, ...extra };
}

export interface ScriptRun {
	status: number | null;
	stdout: string;
	stderr: string;
}

/** Runs a command in the repository root to its end and returns what it printed. */
export function run(
	command: string,
	args: string[],
	options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): ScriptRun {
	const result = spawnSync(command, args, {
		cwd: ROOT,
		env: options.env ?? localEnv(),
		input: options.input,
		encoding: 'utf8',
	});
	if (result.error) throw result.error;
	return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
