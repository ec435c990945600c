/**
 * The values of the keys a scan read, kept in this process's memory only for the revocation
 * check, by fingerprint. Only keys whose provider has a read-only check are kept (nothing else
 * could use them). Never written anywhere: serialising or inspecting the vault shows a count,
 * and it is cleared when the app quits (or a CLI run ends).
 */
import { inspect } from 'node:util';
import { fingerprintProvider, revocationEndpoint } from '../../shared/domain/providers/index.js';

/** Fingerprint → value, in memory for one session. */
export class KeyVault {
  readonly #values = new Map<string, string>();

  /** Keeps a key's value when its provider can be asked about it; other values are not kept. */
  remember(fingerprint: string, value: string): void {
    if (revocationEndpoint(fingerprintProvider(fingerprint))) this.#values.set(fingerprint, value);
  }

  /** True when the value of this key was read in this session. */
  has(fingerprint: string): boolean {
    return this.#values.has(fingerprint);
  }

  /** The fingerprints held, for checking each key a run read. */
  fingerprints(): string[] {
    return [...this.#values.keys()];
  }

  /** The value, for the one request that checks it; undefined when this session did not read it. */
  valueOf(fingerprint: string): string | undefined {
    return this.#values.get(fingerprint);
  }

  /** Forgets every value. */
  clear(): void {
    this.#values.clear();
  }

  /** What JSON.stringify writes: a count, never a value. */
  toJSON(): { keysInMemory: number } {
    return { keysInMemory: this.#values.size };
  }

  /** What string conversion shows. */
  toString(): string {
    return `KeyVault(${this.#values.size} keys)`;
  }

  /** What console.log and util.inspect show. */
  [inspect.custom](): string {
    return this.toString();
  }
}
