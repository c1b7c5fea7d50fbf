export { runWorkflow, type RunOptions, type WorkflowJson } from './runWorkflow';
export { nodeOutput, nodeError } from './runData';
export { shutdownEngine } from './shutdown';
