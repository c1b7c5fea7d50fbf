/** What a handler answers; the server serialises it and applies the response faults. */
export type Reply =
	| { status: number; json: unknown; headers?: Record<string, string> }
	| { status: number; text: string; contentType?: string; headers?: Record<string, string> };
