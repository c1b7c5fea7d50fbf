/**
 * What an e2e scenario is: one workflow file run with `n8n execute` in real n8n, and the checks on
 * what came out. Each scenario lives in its own file under test/e2e/scenarios/ and is listed in
 * test/e2e/scenarios/index.ts; the runner imports every scenario's workflow, then runs them one by one.
 */
import * as path from 'path';
import type { BlocksEmulator, RequestLogEntry } from '../../emulator';
import type { RunJson } from '../real-n8n/cliOutput';
import type { ExecuteResult } from '../real-n8n/process';
import {
	WorkflowJson,
	examples,
	readWorkflow,
	repoRoot,
	withCredential,
} from '../real-n8n/workflowFiles';
import { assert, assertEqual } from './checks';
import { E2E_CREDENTIAL } from './credentials';
import { NODE_TYPE } from '../../nodes/Blocks/identity';

export interface Scenario<State = undefined> {
	/**
	 * The workflow it runs: a test fixture (a file in test/e2e/workflows/) or a shipped example (a file in
	 * examples/, run as shipped). `n8n execute --id` gets the id in that file.
	 */
	workflow: { fixture: string } | { example: string };
	/**
	 * Optional, before the workflows are imported: start what the run needs (e.g. a local listener
	 * a webhook posts to) and return the workflow pointed at it. `close` runs after every scenario
	 * of the n8n version ran, also when one failed.
	 */
	prepare?(workflow: WorkflowJson): Promise<Prepared<State>>;
	/**
	 * Optional, right before `n8n execute`: emulator state for this run alone (e.g. an armed
	 * fault). Returns what undoes it, called once the run ended (also when it failed), before
	 * `verify`, so no other scenario sees it.
	 */
	arrange?(emulator: BlocksEmulator): () => void;
	/**
	 * Called after `n8n execute` ended; each `run.check` is one PASS/FAIL line. A check that
	 * others depend on returns whether it passed, so they can be skipped. `state` is what
	 * `prepare` returned.
	 */
	verify(run: ScenarioRun, state: State): Promise<void>;
}

export interface Prepared<State> {
	workflow: WorkflowJson;
	state: State;
	close(): Promise<void>;
}

/** A scenario of any state, as the list in test/e2e/scenarios/index.ts holds them. */
export type AnyScenario = Scenario<unknown>;

export interface ScenarioRun {
	/** One PASS/FAIL line, its name prefixed with the n8n version. */
	check(name: string, fn: () => Promise<string | void> | string | void): Promise<boolean>;
	/** The workflow file's name, e.g. "conversation.workflow.json". */
	fileName: string;
	/** The workflow as imported. */
	workflow: WorkflowJson;
	/** Exit code and output of `n8n execute`, with the run JSON parsed. */
	result: ExecuteResult;
	emulator: BlocksEmulator;
	/** The key of the credential the scenarios use (the e2e run's own per n8n version). */
	apiKey: string;
	/** What the emulator received during this scenario's run. */
	requests(): RequestLogEntry[];
}

/** The scenario's workflow file as it is imported (Blocks nodes without a credential id get the e2e one). */
export function scenarioWorkflow(scenario: AnyScenario): { file: string; workflow: WorkflowJson } {
	let found: { file: string; workflow: WorkflowJson } | undefined;
	if ('fixture' in scenario.workflow) {
		const file = path.join(repoRoot(), 'test', 'e2e', 'workflows', scenario.workflow.fixture);
		found = { file, workflow: readWorkflow(file) };
	} else {
		const name = scenario.workflow.example;
		found = examples().find((e) => path.basename(e.file) === name);
		if (!found) throw new Error(`no example ${name} in examples/`);
	}
	const { workflow } = found;
	const needsCredential = workflow.nodes.some(
		(n) => n.type === NODE_TYPE && !n.credentials?.blocksApi?.id,
	);
	return {
		file: found.file,
		workflow: needsCredential ? withCredential(workflow, E2E_CREDENTIAL) : workflow,
	};
}

type Json = Record<string, unknown>;
type Item = { json: Json; pairedItem?: unknown };

/** The output items of one node's first run; fails when the node did not run or failed. */
export function outputItems(json: RunJson | undefined, node: string): Item[] {
	assert(json, 'no run JSON in the output');
	const runs = json.data?.resultData?.runData?.[node];
	assert(runs && runs.length > 0, `node "${node}" did not run`);
	const first = runs[0];
	assert(!first.error, `node "${node}" failed: ${first.error?.message}`);
	return (first.data?.main?.[0] ?? []) as Item[];
}

/** The one output item of a node (fails when there are none or several). */
export function onlyItem(json: RunJson | undefined, node: string): Json {
	const items = outputItems(json, node);
	assertEqual(items.length, 1, `items out of "${node}"`);
	return items[0].json;
}

/** Exit code, workflow error and the output's last lines, for a failure message. */
export function describeFailure(r: ExecuteResult): string {
	const err = r.json?.data?.resultData?.error;
	const tail = (r.run.stderr || r.run.stdout).trim().split('\n').slice(-8).join('\n');
	return `exit ${r.run.code}${r.run.timedOut ? ' (timed out)' : ''}${err ? `, error: ${err.message}` : ''}${r.parseError ? `, ${r.parseError}` : ''}\n${tail}`;
}

export function assertSucceeded(r: ExecuteResult): void {
	assert(
		r.run.code === 0 && r.json?.status === 'success',
		`workflow did not succeed: ${describeFailure(r)}`,
	);
}

/** The requests that carried this API key. */
export function withKey(requests: RequestLogEntry[], key: string): RequestLogEntry[] {
	return requests.filter((e) => e.authorization === `ApiKey ${key}`);
}
