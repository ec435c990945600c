/**
 * Host-key checking for one hop: the key the server offers is looked up in the config's
 * known_hosts files plus the app's own file; an unknown key is accepted, asked about or refused
 * by policy, and only the app's file is ever written. A changed or revoked key is always refused.
 */
import { SshConnectError, describe } from './connect-error.js';
import type { Deadline } from './deadline.js';
import {
  appendKnownHost,
  checkHostKeyInEntries,
  fingerprintSha256,
  keyTypeOfBlob,
  knownHostName,
  knownKeyTypes,
  readKnownHostsFiles,
  type KnownHostEntry,
} from './known-hosts.js';
import type { ResolvedHostConfig } from './ssh-config.js';

/** How to treat a host key that no known_hosts file lists. */
export type HostKeyPolicy = 'strict' | 'accept-new' | 'ask';

/** The question asked before trusting an unknown host key. */
export interface HostKeyQuestion {
  /** The alias the user knows the host by. */
  host: string;
  /** Where the key came from: `ip:port` for direct connections, `hostname:port` through a jump host. */
  address: string;
  keyType: string;
  fingerprint: string;
}

/** What decides about a host key no known_hosts file lists. */
export interface HostKeyOptions {
  /**
   * Policy for unknown host keys. Defaults from the config's StrictHostKeyChecking
   * (yes → strict, accept-new and no → accept-new, ask → ask). A host whose config says `yes`
   * stays strict whatever is passed here: the user asked for it explicitly.
   */
  hostKeyPolicy?: HostKeyPolicy;
  /** The app's own known_hosts: read like the others, and the only file accepted keys are written to. */
  appKnownHostsFile?: string;
  /** Asks whether to trust an unknown host key (policy `ask`); without it `ask` acts as `strict`. */
  confirmHostKey?: (question: HostKeyQuestion) => Promise<boolean>;
}

/** ssh2's supported host key algorithms, in its default order; reordered per host below. */
const HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** Where a hop was reached, as messages and questions name it. */
export interface HopPlace {
  /** `ip:port` for direct connections, `hostname:port` through a jump host. */
  address: string;
  /** ` (jump host for alias)` for a jump host, '' for the target. */
  role: string;
}

/** Decides whether one hop's host key is trusted, and keeps why a key was refused. */
export class HostKeyVerifier {
  /** Why the server's key was refused or could not be checked; the handshake reports it instead of ssh2's error. */
  failure: SshConnectError | null = null;
  // ssh2 may verify again on re-key: a key accepted once on this connection is not asked about twice.
  private acceptedKey: Buffer | null = null;
  private readonly policy: HostKeyPolicy;
  private readonly knownName: string;

  private constructor(
    private readonly target: ResolvedHostConfig,
    private readonly entries: readonly KnownHostEntry[],
    private readonly place: HopPlace,
    private readonly options: HostKeyOptions,
    private readonly deadline: Deadline,
  ) {
    this.policy = effectivePolicy(target, options.hostKeyPolicy);
    this.knownName = knownHostName(target.hostName, target.port);
  }

  /** Reads the hop's known_hosts files (the config's and the app's) and returns its verifier. */
  static async load(target: ResolvedHostConfig, place: HopPlace, options: HostKeyOptions, deadline: Deadline): Promise<HostKeyVerifier> {
    const appFile = options.appKnownHostsFile;
    const knownFiles = [...target.userKnownHostsFiles, ...target.globalKnownHostsFiles, ...(appFile ? [appFile] : [])];
    return new HostKeyVerifier(target, await readKnownHostsFiles(knownFiles), place, options, deadline);
  }

  /** ssh2's hostVerifier: answers through `verify`; a refusal leaves its reason in `failure`. */
  readonly hostVerifier = (keyBlob: Buffer, verify: (valid: boolean) => void): void => {
    this.verifyHostKey(keyBlob).then(verify, (error: unknown) => {
      this.failure ??= new SshConnectError('error', `cannot verify the host key of ${this.knownName}: ${describe(error)}`);
      verify(false);
    });
  };

  /**
   * The host key algorithms to offer, key types already known for this host first, as OpenSSH
   * does, so a host with an RSA entry is not reported unknown just because it also offers ed25519.
   */
  serverHostKeyAlgorithms(): string[] {
    const preferred = knownKeyTypes(this.entries, this.target.hostName, this.target.port).flatMap((type) =>
      type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type],
    );
    return [...preferred.filter((type) => HOST_KEY_ALGORITHMS.includes(type)), ...HOST_KEY_ALGORITHMS.filter((type) => !preferred.includes(type))];
  }

  private async verifyHostKey(keyBlob: Buffer): Promise<boolean> {
    if (this.acceptedKey?.equals(keyBlob)) return true;
    const accepted = await this.decideHostKey(keyBlob);
    if (accepted) this.acceptedKey = keyBlob;
    return accepted;
  }

  private async decideHostKey(keyBlob: Buffer): Promise<boolean> {
    const { target, options, knownName } = this;
    const { address, role } = this.place;
    const appFile = options.appKnownHostsFile;
    const keyType = keyTypeOfBlob(keyBlob);
    const fingerprint = fingerprintSha256(keyBlob);
    const check = checkHostKeyInEntries(this.entries, target.hostName, target.port, keyType, keyBlob);
    if (check.result === 'match') return true;
    if (check.result === 'mismatch') {
      this.failure = new SshConnectError(
        'host-key-mismatch',
        check.revoked
          ? `host key of ${knownName}${role} is revoked (${fingerprint})`
          : `host key of ${knownName}${role} has changed: known_hosts expects ${check.expectedFingerprints.join(' or ')}, server offered ${fingerprint}`,
      );
      return false;
    }
    const otherTypes = check.expectedFingerprints.length ? ` (known_hosts only lists other key types)` : '';
    if (this.policy === 'accept-new') {
      if (appFile) await appendKnownHost(appFile, target.hostName, target.port, keyType, keyBlob, target.hashKnownHosts);
      return true;
    }
    if (this.policy === 'ask' && options.confirmHostKey) {
      const accepted = await this.deadline.paused(() => options.confirmHostKey!({ host: target.alias, address, keyType, fingerprint }));
      if (accepted) {
        if (appFile) await appendKnownHost(appFile, target.hostName, target.port, keyType, keyBlob, target.hashKnownHosts);
        return true;
      }
      this.failure = new SshConnectError('host-key-unknown', `host key of ${knownName}${role} was not accepted (${keyType} ${fingerprint})`);
      return false;
    }
    this.failure = new SshConnectError(
      'host-key-unknown',
      `host key of ${knownName}${role} is not in known_hosts${otherTypes}: server offered ${keyType} ${fingerprint}`,
    );
    return false;
  }
}

/** StrictHostKeyChecking=no is honoured as accept-new: accepting a *changed* key would defeat the check during an incident. */
function effectivePolicy(target: ResolvedHostConfig, requested: HostKeyPolicy | undefined): HostKeyPolicy {
  if (target.strictHostKeyChecking === 'yes') return 'strict';
  if (requested) return requested;
  switch (target.strictHostKeyChecking) {
    case 'accept-new':
    case 'no':
      return 'accept-new';
    default:
      return 'ask';
  }
}
