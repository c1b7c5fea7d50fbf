export { BlocksEmulator, DEFAULT_API_KEY } from './emulator';
export type { EmulatorOptions, EmulatorStats, ThreadState } from './emulator';
export { echoAgent } from './agent';
export type { AgentPlan, AgentScript, AgentTurn } from './agent';
export type { Fault, FaultController, FaultKind, FaultRule } from './faults';
export type { ErrorShape } from './errors';
export type { ForeignHost } from './foreignHost';
export type { RequestLogEntry } from './requestLog';
export type { ArtifactInit, ArtifactRecord, MessageItem, ThreadStatus, ToolCall } from './store';
