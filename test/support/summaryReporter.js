/**
 * Ends a Jest run with one plain line, `N passed, N failed`, that CI logs and people read alike.
 */
class SummaryReporter {
	onRunComplete(_contexts, results) {
		const skipped = results.numPendingTests + results.numTodoTests;
		const suffix = skipped ? `, ${skipped} skipped` : '';
		process.stdout.write(
			`${results.numPassedTests} passed, ${results.numFailedTests} failed${suffix}\n`,
		);
	}
}

module.exports = SummaryReporter;
