import { shutdownEngine } from '../../engine';

// Every test file: stop what n8n-core started in this process, so Jest exits when tests end.
afterAll(() => shutdownEngine());
