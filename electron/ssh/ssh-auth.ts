/**
 * Authentication for one hop, in OpenSSH's order: ssh-agent keys first, then each identity file.
 * With `IdentitiesOnly yes`, agent keys are still used (so keys that live only in the agent keep
 * working) but only those whose public key matches a configured identity file (its `.pub`, or the
 * unencrypted private key). Encrypted keys ask for their passphrase through `askPassphrase`;
 * the passphrase is used for that one parse and never stored or logged.
 */
import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, AuthenticationType, NextAuthHandler, ParsedKey } from 'ssh2';
import type { Deadline } from './deadline.js';
import type { ResolvedHostConfig } from './ssh-config.js';

const { OpenSSHAgent, BaseAgent, utils } = ssh2;

/** The question asked to unlock an encrypted private key. */
export interface PassphraseQuestion {
  host: string;
  keyPath: string;
}

/** How a hop may authenticate beyond its config's identity files. */
export interface AuthOptions {
  /** ssh-agent socket; defaults to the config's IdentityAgent, else SSH_AUTH_SOCK; null disables the agent. */
  agentSocket?: string | null;
  /** Asks for an encrypted key's passphrase; null skips the key. */
  askPassphrase?: (question: PassphraseQuestion) => Promise<string | null>;
}

const PASSPHRASE_ATTEMPTS = 3;

/** The authentication methods for one hop, produced lazily so passphrases are asked only when needed. */
export class AuthSequence {
  /** True once every method was tried and the server refused them all. */
  exhausted = false;
  private readonly tried: string[] = [];
  private readonly skipped: string[] = [];
  private readonly agentBlobs: Buffer[] = [];
  private step = 0;
  private allowedBlobs: Promise<Buffer[]> | null = null;

  constructor(
    private readonly target: ResolvedHostConfig,
    private readonly options: AuthOptions,
    private readonly deadline: Deadline,
  ) {}

  /** ssh2's authHandler: hands it the next method to try, or false once none is left. */
  next(methodsLeft: AuthenticationType[] | null, next: NextAuthHandler): void {
    if (methodsLeft && !methodsLeft.includes('publickey')) {
      this.skipped.push(`server offers only ${methodsLeft.join(', ') || 'nothing'}`);
      this.exhausted = true;
      next(false as never);
      return;
    }
    this.produce().then(
      (method) => {
        if (method) return next(method);
        this.exhausted = true;
        next(false as never);
      },
      () => {
        this.exhausted = true;
        next(false as never);
      },
    );
  }

  /** Why authentication failed: what was tried and what was skipped, never a passphrase. */
  failureMessage(userAt: string): string {
    const tried = this.tried.length ? `tried ${this.tried.join(', ')}` : 'no usable key';
    const skipped = this.skipped.length ? `; ${this.skipped.join('; ')}` : '';
    return `authentication failed for ${userAt} (${tried}${skipped})`;
  }

  private async produce(): Promise<AnyAuthMethod | null> {
    const username = this.target.user;
    // As ssh: the config's IdentityAgent (1Password, Secretive, a forwarded socket) wins over SSH_AUTH_SOCK.
    const agentSocket =
      this.options.agentSocket !== undefined ? this.options.agentSocket : this.target.identityAgent !== undefined ? this.target.identityAgent : process.env.SSH_AUTH_SOCK;
    const files = this.target.identityFiles;
    // Step 0 is the agent; steps 1..n are the identity files.
    while (this.step <= files.length) {
      const index = this.step++;
      if (index === 0) {
        if (!agentSocket) continue;
        const allowed = this.target.identitiesOnly ? await this.allowedPublicKeys() : null;
        if (allowed && allowed.length === 0) continue;
        this.tried.push(this.target.identityAgent ? `ssh-agent at ${this.target.identityAgent}` : 'ssh-agent');
        return { type: 'agent', username, agent: new FilteringAgent(agentSocket, allowed, this.agentBlobs) };
      }
      const keyPath = files[index - 1]!;
      const key = await this.loadKey(keyPath);
      if (!key) continue;
      if (this.agentBlobs.some((blob) => blob.equals(key.getPublicSSH()))) continue; // the agent already offered it
      this.tried.push(keyPath);
      return { type: 'publickey', username, key };
    }
    return null;
  }

  /** Public keys of the configured identity files, for IdentitiesOnly filtering of agent keys. */
  private allowedPublicKeys(): Promise<Buffer[]> {
    this.allowedBlobs ??= (async () => {
      const blobs: Buffer[] = [];
      for (const file of this.target.identityFiles) {
        const blob = (await publicBlobOf(`${file}.pub`)) ?? (await publicBlobOf(file));
        if (blob) blobs.push(blob);
      }
      return blobs;
    })();
    return this.allowedBlobs;
  }

  private async loadKey(keyPath: string): Promise<ParsedKey | null> {
    let data: Buffer;
    try {
      data = await readFile(keyPath);
    } catch {
      return null; // missing identity files are normal (the defaults rarely all exist)
    }
    let parsed = firstKey(utils.parseKey(data));
    if (!(parsed instanceof Error)) return parsed.isPrivateKey() ? parsed : null;
    if (!/passphrase|encrypted/i.test(parsed.message)) {
      this.skipped.push(`${keyPath}: unsupported key (${parsed.message})`);
      return null;
    }
    if (!this.options.askPassphrase) {
      this.skipped.push(`${keyPath}: encrypted, no passphrase prompt available`);
      return null;
    }
    for (let attempt = 0; attempt < PASSPHRASE_ATTEMPTS; attempt++) {
      const passphrase = await this.deadline.paused(() =>
        this.options.askPassphrase!({ host: this.target.alias, keyPath }),
      );
      if (passphrase === null) {
        this.skipped.push(`${keyPath}: skipped (no passphrase)`);
        return null;
      }
      parsed = firstKey(utils.parseKey(data, passphrase));
      if (!(parsed instanceof Error)) return parsed;
    }
    this.skipped.push(`${keyPath}: wrong passphrase`);
    return null;
  }
}

/**
 * Wraps the ssh-agent: offers only the allowed keys (IdentitiesOnly) and records what it
 * offered, so the same key is not tried again from its file. Agent trouble means "no keys".
 */
class FilteringAgent extends BaseAgent<ParsedKey> {
  private readonly agent: InstanceType<typeof OpenSSHAgent>;

  constructor(
    socketPath: string,
    private readonly allowed: Buffer[] | null,
    private readonly offered: Buffer[],
  ) {
    super();
    this.agent = new OpenSSHAgent(socketPath);
  }

  override getIdentities(cb: (error: Error | undefined, keys?: ParsedKey[]) => void): void {
    this.agent.getIdentities((error, keys) => {
      if (error || !keys) return cb(undefined, []);
      // Entries may come wrapped ({ pubKey }) in ssh2's typings; the OpenSSH agent gives ParsedKeys.
      const parsed = keys.map((key) => ('getPublicSSH' in key ? key : key.pubKey)).filter(isParsedKey);
      const usable = parsed.filter((key) => !this.allowed || this.allowed.some((blob) => blob.equals(key.getPublicSSH())));
      this.offered.push(...usable.map((key) => key.getPublicSSH()));
      cb(undefined, usable);
    });
  }

  override sign(pubKey: ParsedKey, data: Buffer, options: unknown, cb?: (error?: Error, signature?: Buffer) => void): void {
    if (typeof options === 'function') {
      cb = options as typeof cb;
      options = {};
    }
    this.agent.sign(pubKey, data, options as never, cb as never);
  }
}

/** The public key blob of a key file (a `.pub` or an unencrypted private key); null when unreadable. */
async function publicBlobOf(file: string): Promise<Buffer | null> {
  try {
    const key = firstKey(utils.parseKey(await readFile(file)));
    return key instanceof Error ? null : key.getPublicSSH();
  } catch {
    return null;
  }
}

function isParsedKey(value: unknown): value is ParsedKey {
  return typeof (value as ParsedKey | null)?.getPublicSSH === 'function';
}

function firstKey(parsed: ParsedKey | ParsedKey[] | Error): ParsedKey | Error {
  if (Array.isArray(parsed)) return parsed[0] ?? new Error('no key in file');
  return parsed;
}
