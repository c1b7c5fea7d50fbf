export { ActivePollingWorkflow, type PollingOptions, type PollOutcome } from './activePolling';
export { runWorkflow, type RunOptions, type WorkflowJson } from './runWorkflow';
export { nodeOutput, nodeError } from './runData';
export { shutdownEngine } from './shutdown';
export { BLOCKS_TYPE, blocksNode, chain } from './workflowJson';
