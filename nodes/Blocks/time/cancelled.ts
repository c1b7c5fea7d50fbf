/** Thrown by every sleep and every wait for a slot when the execution is cancelled. */
export class CancelledError extends Error {
	constructor() {
		super('The execution was cancelled');
	}
}
