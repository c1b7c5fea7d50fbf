import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** What a wait adds to its item once the reply is in (actions/shared/replyExtras.ts). */
export interface ReplyExtras {
	session: boolean;
	transcript: boolean;
}

/** The Include Session and Include Transcript options (shown by waitOptions.fields.ts). */
export function replyExtrasOptions(): INodeProperties[] {
	return [
		{
			displayName: 'Include Session',
			name: 'includeSession',
			type: 'boolean',
			default: false,
			description:
				'Whether to read the session once more after the reply and add its pull_requests (and pull_request_urls), plan_artifact_ids, title and session_html_url to the item: the agent’s pull requests only appear once its turn is done. One more request.',
		},
		{
			displayName: 'Include Transcript',
			name: 'includeTranscript',
			type: 'boolean',
			default: false,
			description:
				'Whether to add the turn’s transcript after the reply: the agent’s messages and tool calls on this thread, oldest first, each once. One more request per 100 messages.',
		},
	];
}

export function readReplyExtras(context: IExecuteFunctions, itemIndex: number): ReplyExtras {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		session: options.includeSession === true,
		transcript: options.includeTranscript === true,
	};
}
