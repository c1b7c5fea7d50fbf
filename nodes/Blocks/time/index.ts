/**
 * Time, as the rest of the node sees it: the replaceable clock, the abortable sleep built on
 * n8n-workflow's own, and the error a cancelled sleep throws. It sits below everything else in
 * the node and imports nothing of it, so transport, the rate budget, waits and operations can
 * all depend on it without depending on each other.
 */
export { clock, realClock, replaceClock, type Clock } from './clock';
export { CancelledError } from './cancelled';
