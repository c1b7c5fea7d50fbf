const fs = require('node:fs');

/**
 * Ends a Jest run with one plain line, `N passed, N failed`, that CI logs and people read alike.
 * With JEST_FAILURES_FILE set, also appends the full name of every failing test to that file
 * (one a line, after its file), so a CI run that calls Jest several times can list them all.
 */
class SummaryReporter {
	onRunComplete(_contexts, results) {
		const skipped = results.numPendingTests + results.numTodoTests;
		const suffix = skipped ? `, ${skipped} skipped` : '';
		process.stdout.write(
			`${results.numPassedTests} passed, ${results.numFailedTests} failed${suffix}\n`,
		);
		const failuresFile = process.env.JEST_FAILURES_FILE;
		if (failuresFile) fs.appendFileSync(failuresFile, failingTests(results));
	}
}

function failingTests(results) {
	const cwd = process.cwd();
	return results.testResults
		.flatMap((file) => {
			const where = file.testFilePath.replace(`${cwd}/`, '');
			const failed = file.testResults.filter((test) => test.status === 'failed');
			// A file that could not run at all (a syntax error, a hook that threw) has no test results.
			if (file.testExecError && failed.length === 0) return [`${where}: could not run`];
			return failed.map((test) => `${where}: ${test.fullName}`);
		})
		.map((line) => `${line}\n`)
		.join('');
}

module.exports = SummaryReporter;
