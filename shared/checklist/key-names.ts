/** How keys are named in step titles, shared by the key steps and the steps that point to them. */
import { providerConsole } from '../domain/providers/provider-consoles.js';
import { shortFingerprint } from '../present/graph-model.js';

/** A key as titles name it: its provider and a short fingerprint (`OpenAI key 3f2a9c1b…Qx7a`). */
export function describeKey(provider: string, fingerprint: string): string {
  if (provider === 'ssh' || fingerprint.startsWith('ssh:')) return `SSH key ${shortFingerprint(fingerprint)}`;
  return `${providerConsole(provider)?.name ?? provider} key ${shortFingerprint(fingerprint)}`;
}
