import { artifactRoutes } from './artifacts';
import { authenticate } from './auth';
import type { EndpointDeps, Route, TakeFault } from './endpoint';
import { badRequest, notFound } from './errors';
import { messageRoutes } from './messages';
import type { RateLimit } from './rateLimit';
import type { Reply } from './reply';
import { sessionRoutes } from './sessions';

/** One request as the router needs it. */
export interface ApiRequest {
	method: string;
	url: URL;
	authorization: string | undefined;
	rawBody: string;
	takeFault: TakeFault;
}

export interface RouterDeps {
	endpoints: EndpointDeps;
	apiKeys: ReadonlySet<string>;
	rateLimit: RateLimit | null;
}

/**
 * Wires the endpoint files into one API, in the order a request meets them: find the route,
 * authenticate (auth.ts), count against the key's limit (rateLimit.ts), parse the body, run the
 * handler. Failures are thrown as ApiError; the server gives them their body shape (errors.ts).
 */
export function createRouter(deps: RouterDeps): (request: ApiRequest) => Reply {
	const routes: Route[] = [
		...sessionRoutes(deps.endpoints),
		...messageRoutes(deps.endpoints),
		...artifactRoutes(deps.endpoints),
	];
	return ({ method, url, authorization, rawBody, takeFault }) => {
		for (const candidate of routes) {
			const params = candidate.method === method ? candidate.pattern.exec(url.pathname) : null;
			if (!params) continue;
			if (candidate.authenticated) {
				const apiKey = authenticate(authorization, deps.apiKeys);
				deps.rateLimit?.check(apiKey);
			}
			const body = method === 'POST' ? parseJsonObject(rawBody) : {};
			return candidate.handle({
				params: params.slice(1),
				query: url.searchParams,
				body,
				takeFault,
			});
		}
		throw notFound(`No route for ${method} ${url.pathname}`);
	};
}

function parseJsonObject(rawBody: string): Record<string, unknown> {
	let parsed: unknown;
	try {
		parsed = JSON.parse(rawBody);
	} catch {
		throw badRequest('Request body must be valid JSON');
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw badRequest('Request body must be a JSON object');
	}
	return parsed as Record<string, unknown>;
}
