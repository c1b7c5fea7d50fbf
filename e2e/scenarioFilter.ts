/**
 * E2E_SCENARIOS: a comma-separated list of workflow file names (or parts of them); only the
 * scenarios whose workflow matches one run, on every selected n8n version. Unset: all run.
 * For working on one scenario without waiting for the others.
 */
const wanted = (process.env.E2E_SCENARIOS ?? '')
	.split(',')
	.map((part) => part.trim())
	.filter(Boolean);

type Named = { workflow: { fixture: string } | { example: string } };

export function selectedScenarios<S extends Named>(scenarios: S[]): S[] {
	if (wanted.length === 0) return scenarios;
	const fileOf = ({ workflow }: Named) =>
		'fixture' in workflow ? workflow.fixture : workflow.example;
	return scenarios.filter((scenario) => wanted.some((part) => fileOf(scenario).includes(part)));
}

/** Said once at the start of a run that leaves scenarios out. */
export function scenarioFilterNote(): string | undefined {
	return wanted.length ? `only scenarios matching E2E_SCENARIOS=${wanted.join(',')}` : undefined;
}
