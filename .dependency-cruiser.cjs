/**
 * The layering the code keeps (`npm run lint:deps`). The node ships alone, so it never reaches
 * into the tooling; inside it, time sits at the bottom and transport below waits and actions.
 * Tooling may import node code, never the reverse; the emulator imports nothing of test/ or scripts/.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
	forbidden: [
		{
			name: 'no-folder-cycles',
			comment: 'Two folders that import each other cannot be understood, or changed, apart.',
			severity: 'error',
			scope: 'folder',
			from: {},
			to: { circular: true },
		},
		{
			name: 'node-ships-without-tooling',
			comment:
				'nodes/ and credentials/ are the published package: they import none of the tooling.',
			severity: 'error',
			from: { path: '^(nodes|credentials)/' },
			to: { path: '^(emulator|scripts|test)/' },
		},
		{
			name: 'emulator-stands-alone',
			comment:
				'emulator/ is a tool users run (`npm run emulator`): it needs nothing of the checks or the scripts.',
			severity: 'error',
			from: { path: '^emulator/' },
			to: { path: '^(scripts|test)/' },
		},
		{
			name: 'transport-below-waits-and-actions',
			comment: 'Transport is what waits and operations call: it knows neither.',
			severity: 'error',
			from: { path: '^nodes/Blocks/transport/' },
			to: { path: '^nodes/Blocks/(actions|wait)/' },
		},
		{
			name: 'time-at-the-bottom',
			comment:
				'The clock, the sleep and CancelledError depend on nothing else of the node but host/ (the sleep is n8n’s).',
			severity: 'error',
			from: { path: '^nodes/Blocks/time/' },
			to: { path: '^(nodes|credentials)/', pathNot: '^nodes/Blocks/(time|host)/' },
		},
		{
			name: 'host-at-the-bottom',
			comment:
				'host/ holds what the node assumes about n8n beyond its documented interface, each checked against n8n-workflow alone: it imports nothing of the node.',
			severity: 'error',
			from: { path: '^nodes/Blocks/host/' },
			to: { path: '^(nodes|credentials)/', pathNot: '^nodes/Blocks/host/' },
		},
	],
	options: {
		doNotFollow: { path: 'node_modules' },
		exclude: { path: '^(node_modules|dist|build)/' },
		tsConfig: { fileName: 'tsconfig.test.json' },
		tsPreCompilationDeps: true,
	},
};
