/**
 * The node's names. Saved workflows refer to the node by its type, `<package>.<node name>`, so
 * these never change; tooling (the engine harness, e2e, the benchmark) imports them from here.
 */
export const PACKAGE_NAME = 'n8n-nodes-blocks';
export const NODE_NAME = 'blocks';
export const NODE_TYPE = `${PACKAGE_NAME}.${NODE_NAME}`;
export const TRIGGER_NODE_NAME = 'blocksTrigger';
export const TRIGGER_NODE_TYPE = `${PACKAGE_NAME}.${TRIGGER_NODE_NAME}`;
