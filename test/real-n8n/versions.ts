/**
 * The n8n releases the end-to-end test runs against, and the Node.js each one runs on.
 * This is the only place versions are pinned; change them here.
 */

/** Node 24 comes from the npm package `node` (no other download); n8n >= 2.36 needs it. */
const NODE24_VERSION = '24.21.0';

export interface N8nTarget {
	/** Short label used in logs and check names. */
	label: string;
	/** Exact n8n version installed from the npm registry. */
	n8nVersion: string;
	/** Node.js version the n8n process runs on; `system` = the Node running this script. */
	node: 'system' | typeof NODE24_VERSION;
	/** npm `overrides` written into the install folder's package.json. */
	overrides?: Record<string, string>;
	/** Whether the headless-browser editor check runs against this version. */
	browserCheck: boolean;
	/** Extra environment for every n8n command of this version. */
	env?: Record<string, string>;
}

export const N8N_TARGETS: N8nTarget[] = [
	{
		// Newest 2.x that installs from the registry here (2.41.3 does not: a dependency
		// version it pins is missing).
		label: 'n8n 2.41.1',
		n8nVersion: '2.41.1',
		node: NODE24_VERSION,
		browserCheck: true,
		// its MCP-server registry refreshes from n8n's servers at start; nothing here may leave the
		// machine (1.x rejects this module name, so it is set per version)
		env: { N8N_DISABLED_MODULES: 'mcp-registry' },
	},
	{
		// Last 1.x line. Its xlsx dependency points at a tarball outside the npm registry;
		// the registry's xlsx 0.18.5 is used instead (n8n only needs it for spreadsheet nodes).
		label: 'n8n 1.123.81',
		n8nVersion: '1.123.81',
		node: 'system',
		overrides: { xlsx: '0.18.5' },
		browserCheck: true,
	},
];

/** The release `npm run dev` runs. */
export const DEV_TARGET: N8nTarget = N8N_TARGETS[0];
