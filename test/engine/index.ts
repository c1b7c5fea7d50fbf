export { ActivePollingWorkflow, type PollOutcome } from './activePolling';
export { runWorkflow, type RunOptions, type WorkflowJson } from './runWorkflow';
export { nodeError, nodeOutput, nodeRuns } from './runData';
export { MANUAL_TRIGGER_TYPE } from './nodeTypes';
export { shutdownEngine } from './shutdown';
export { blocksNode, chain } from './workflowJson';
export { CREDENTIAL_TEST_PASSED, runCredentialTest } from './credentialTest';
export { AI_AGENT_TYPE, asAiTool, scriptedAgent, subNodeAgent } from './aiAgent';
export type { AgentScript, ToolCallSeen } from './aiAgent';
