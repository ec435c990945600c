/**
 * The hosts a user can scan: the concrete Host entries of their ssh_config, the hosts they added
 * by hand, and "This machine" (read through a local shell, no SSH). Also turns picked names into
 * scan targets that know how to connect.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_HOST_NAME, type HostEntry, type RequestOf } from '../../shared/ipc/contract.js';
import type { CaseStore, ManualHost } from '../case/case-store.js';
import type { HostDirectory } from '../core/app-backend.js';
import { LocalRunner } from '../exec/local-runner.js';
import type { ScanTarget } from '../scan/scan-hosts.js';
import { loadSshConfig, SYSTEM_SSH_CONFIG, type ResolvedHostConfig, type SshConfig } from '../ssh/ssh-config.js';
import type { HostKeyPolicy, HostKeyQuestion } from '../ssh/host-key-verifier.js';
import type { PassphraseQuestion } from '../ssh/ssh-auth.js';
import { openSshSession } from '../ssh/ssh-session.js';

/** Where the directory reads hosts from and how it treats host keys. */
export interface SshHostDirectoryOptions {
  /** The ssh_config to read; a missing file is an empty config only when `sshConfigOptional`. */
  sshConfigPath: string;
  sshConfigOptional: boolean;
  /**
   * Hand-added hosts live in the case folder: the store, or where to find the open case's store (the
   * app's changes when another case opens; null while none is open); null where hosts cannot be added (the CLI).
   */
  store: CaseStore | (() => CaseStore | null) | null;
  /** The app's own known_hosts: accepted keys are written here, never to ~/.ssh/known_hosts. */
  appKnownHostsFile: string;
  hostKeyPolicy: HostKeyPolicy;
  /** Include "This machine" in the list. */
  includeLocal: boolean;
}

/** Asks the user mid-connection; the app's PromptBroker and the CLI's terminal prompts both fit. */
export interface HostPrompts {
  confirmHostKey(question: HostKeyQuestion, signal?: AbortSignal): Promise<boolean>;
  askPassphrase(question: PassphraseQuestion, signal?: AbortSignal): Promise<string | null>;
}

/** `user@host:port`, the address shown for a resolved host. */
export function describeAddress(host: ResolvedHostConfig): string {
  return `${host.user}@${host.hostName}:${host.port}`;
}

/** Hosts from ssh_config, hand-added hosts and the local machine. */
export class SshHostDirectory implements HostDirectory {
  constructor(private readonly options: SshHostDirectoryOptions) {}

  /** Every host, "This machine" first, then ssh_config order, then hand-added hosts. */
  async list(): Promise<HostEntry[]> {
    const config = this.readConfig();
    const entries: HostEntry[] = [];
    if (this.options.includeLocal) entries.push({ name: LOCAL_HOST_NAME, address: 'local', source: 'local' });
    for (const alias of config.concreteHosts()) {
      entries.push({ name: alias, address: describeAddress(config.resolve(alias)), source: 'ssh-config' });
    }
    const taken = new Set(entries.map((entry) => entry.name));
    for (const manual of await this.manualHosts()) {
      if (taken.has(manual.name)) continue; // ssh_config wins: it is what `ssh NAME` would use
      entries.push({ name: manual.name, address: describeAddress(resolveManual(config, manual)), source: 'manual' });
    }
    return entries;
  }

  /** Adds a host by hand; refuses a name the ssh_config or "This machine" already uses. */
  async add(request: RequestOf<'hosts:add'>): Promise<HostEntry> {
    const store = this.caseStore();
    if (!store) throw new Error(this.options.store ? 'no case is open: open or create a case to add hosts to it' : 'hosts cannot be added here');
    const existing = await this.list();
    const clash = existing.find((entry) => entry.name === request.name && entry.source !== 'manual');
    if (clash) throw new Error(`a host named ${JSON.stringify(request.name)} already exists (${clash.source})`);
    const manual: ManualHost = { name: request.name, hostName: request.hostName };
    if (request.user) manual.user = request.user;
    if (request.port) manual.port = request.port;
    if (request.identityFile) manual.identityFile = request.identityFile;
    await store.saveManualHost(manual);
    return { name: manual.name, address: describeAddress(resolveManual(this.readConfig(), manual)), source: 'manual' };
  }

  /** Scan targets for the picked names; rejects naming every unknown one. */
  async targets(names: readonly string[], prompts: HostPrompts | null, signal: AbortSignal): Promise<ScanTarget[]> {
    const config = this.readConfig();
    const concrete = new Set(config.concreteHosts());
    const manual = new Map((await this.manualHosts()).map((host) => [host.name, host]));
    const unknown = names.filter((name) => !(name === LOCAL_HOST_NAME && this.options.includeLocal) && !concrete.has(name) && !manual.has(name));
    if (unknown.length > 0) throw new Error(`unknown host${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);

    return [...new Set(names)].map((name): ScanTarget => {
      if (name === LOCAL_HOST_NAME && this.options.includeLocal) {
        return { name, address: 'local', connect: async () => Object.assign(new LocalRunner(), { close: async () => undefined }) };
      }
      const host = concrete.has(name) ? config.resolve(name) : resolveManual(config, manual.get(name)!);
      return {
        name,
        address: describeAddress(host),
        connect: (connectSignal) =>
          openSshSession({
            host,
            hostKeyPolicy: this.options.hostKeyPolicy,
            appKnownHostsFile: this.options.appKnownHostsFile,
            signal: AbortSignal.any([signal, connectSignal]),
            ...(prompts && {
              confirmHostKey: (question) => prompts.confirmHostKey({ ...question, host: name }, signal),
              askPassphrase: (question) => prompts.askPassphrase({ ...question, host: name }, signal),
            }),
          }),
      };
    });
  }

  private readConfig(): SshConfig {
    // The default ~/.ssh/config is followed by the system's, as ssh does; a named file is read alone (ssh -F).
    return loadSshConfig(this.options.sshConfigPath, { optional: this.options.sshConfigOptional, systemConfigPath: this.options.sshConfigOptional ? SYSTEM_SSH_CONFIG : null });
  }

  private async manualHosts(): Promise<ManualHost[]> {
    return (await this.caseStore()?.loadManualHosts()) ?? [];
  }

  private caseStore(): CaseStore | null {
    const { store } = this.options;
    return typeof store === 'function' ? store() : store;
  }
}

/** A hand-added host inherits what ssh_config says for its address (e.g. `Host *` keys), then its own fields win. */
function resolveManual(config: SshConfig, manual: ManualHost): ResolvedHostConfig {
  const inherited = config.resolve(manual.hostName);
  return {
    ...inherited,
    alias: manual.name,
    user: manual.user ?? inherited.user,
    port: manual.port ?? inherited.port,
    identityFiles: manual.identityFile ? [expandHome(manual.identityFile)] : inherited.identityFiles,
  };
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}
