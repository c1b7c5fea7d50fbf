import { Container } from '@n8n/di';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

/**
 * n8n-core starts services on first use that keep a process alive (an SSH client reaper that
 * ticks every minute). n8n stops them at shutdown; a test file or script stops them here, so it
 * ends as soon as its work does.
 */
export function shutdownEngine(): void {
	if (Container.has(SSHClientsManager)) Container.get(SSHClientsManager).onShutdown();
}
