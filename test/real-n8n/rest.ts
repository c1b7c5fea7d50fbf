/**
 * n8n's own REST API (the one its editor calls, under /rest), signed in as a user: what a test
 * needs to activate a workflow and read its executions while `n8n start` runs. The calls and
 * body shapes are the same in n8n 1.123 and 2.41.
 */
import { parse as parseFlatted } from 'flatted';
import { httpRequest } from '../support/http';
import type { Owner } from './owner';

/** An execution as the list and detail calls describe it. */
export interface ExecutionSummary {
	id: string;
	status: string;
	/** Set while the execution is parked by a Wait node: when it resumes (ISO time). */
	waitTill?: string | null;
	startedAt?: string | null;
	stoppedAt?: string | null;
}

/** One run of one node in an execution's run data. */
export interface NodeRun {
	startTime?: number;
	/** How long the run took, in ms. */
	executionTime?: number;
	executionStatus?: string;
	error?: { message?: string };
	data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
}

export interface ExecutionDetail extends ExecutionSummary {
	data: {
		resultData: {
			runData: Record<string, NodeRun[]>;
			lastNodeExecuted?: string;
			error?: { message?: string };
		};
	};
}

/** The editor sends one; a session bound to it is refused without it, so every call carries it. */
const BROWSER_ID = 'n8n-nodes-blocks-e2e';

export class N8nRest {
	private constructor(
		readonly baseUrl: string,
		private readonly cookie: string,
	) {}

	/** Signs in with the login form's call (`POST /rest/login`) and keeps the session cookie. */
	static async signIn(baseUrl: string, owner: Owner): Promise<N8nRest> {
		const r = await httpRequest('POST', `${baseUrl}/rest/login`, {
			// 1.x before the LDAP-aware form named the field `email`; both accept the other's extra key
			body: { emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password },
			headers: { 'browser-id': BROWSER_ID },
		});
		if (r.status !== 200)
			throw new Error(`POST /rest/login answered ${r.status}: ${r.text.slice(0, 300)}`);
		const auth = r.headers
			.getSetCookie()
			.map((c) => c.split(';')[0])
			.find((c) => c.startsWith('n8n-auth='));
		if (!auth) throw new Error('POST /rest/login set no n8n-auth cookie');
		return new N8nRest(baseUrl, auth);
	}

	/** The `data` of a 2xx answer; any other status throws with the body's start. */
	async call<T>(method: string, restPath: string, body?: unknown): Promise<T> {
		const r = await httpRequest<{ data: T }>(method, `${this.baseUrl}/rest${restPath}`, {
			body,
			headers: { cookie: this.cookie, 'browser-id': BROWSER_ID },
		});
		if (r.status < 200 || r.status > 299)
			throw new Error(`${method} /rest${restPath} answered ${r.status}: ${r.text.slice(0, 300)}`);
		return r.body.data;
	}

	/**
	 * Activates (2.x: publishes) the workflow's current version, as the editor's toggle does; its
	 * webhooks answer from then on.
	 */
	async activateWorkflow(workflowId: string): Promise<void> {
		const wf = await this.call<{ versionId: string }>('GET', `/workflows/${workflowId}`);
		await this.call('POST', `/workflows/${workflowId}/activate`, { versionId: wf.versionId });
	}

	/** Deactivates (2.x: unpublishes) the workflow: its triggers stop. */
	async deactivateWorkflow(workflowId: string): Promise<void> {
		await this.call('POST', `/workflows/${workflowId}/deactivate`, {});
	}

	/** The workflow's executions, newest first. */
	async executionsOf(workflowId: string): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const list = await this.call<{ results: ExecutionSummary[] }>(
			'GET',
			`/executions?filter=${filter}`,
		);
		return list.results;
	}

	/** One execution with its run data (sent in flatted's format, which keeps shared references). */
	async execution(id: string): Promise<ExecutionDetail> {
		const e = await this.call<Omit<ExecutionDetail, 'data'> & { data: unknown }>(
			'GET',
			`/executions/${id}`,
		);
		const data = typeof e.data === 'string' ? parseFlatted(e.data) : e.data;
		return { ...e, data: data as ExecutionDetail['data'] };
	}
}
