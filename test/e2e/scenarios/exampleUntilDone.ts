/** examples/follow-up-until-done.workflow.json: follow-ups on one session until the reply says DONE. */
import { assert, assertEqual } from '../checks';
import { verifyExample } from '../exampleChecks';
import { Scenario, onlyItem } from '../scenario';
import { MARKER, MARKER_TURNS } from '../testAgent';

export const exampleUntilDone: Scenario = {
	workflow: { example: 'follow-up-until-done.workflow.json' },

	async verify(run) {
		if (!(await verifyExample(run))) return;
		await run.check(
			`example ${run.fileName}: loops until the reply contains ${MARKER}, on one session`,
			() => {
				const runData = run.result.json?.data?.resultData?.runData ?? {};
				assertEqual(runData['Keep Going']?.length, MARKER_TURNS - 1, 'runs of "Keep Going"');
				assertEqual(runData['Done?']?.length, MARKER_TURNS, 'runs of "Done?"');
				const result = onlyItem(run.result.json, 'Result');
				assert(String(result.reply).includes(MARKER), `final reply "${String(result.reply)}"`);
				const started = onlyItem(run.result.json, 'Start the Task');
				assertEqual(result.session_id, started.session_id, 'session of the final reply');
				assertEqual(
					run.emulator.followUpsFor(String(started.session_id)),
					MARKER_TURNS - 1,
					'follow-ups the emulator received',
				);
				return `"${String(result.reply)}" after ${MARKER_TURNS - 1} follow-ups`;
			},
		);
	},
};
