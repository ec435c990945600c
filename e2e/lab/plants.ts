/**
 * Puts the lab's dynamic and secret content into its roots: substitutes the tokens of lab-hosts.ts
 * data and Docker fixtures (`{{planted:<id>}}`, `{{planted-sha256:<id>}}`, `{{planted-last4:<id>}}`,
 * `{{planted-base64:<id>}}`, `{{address:<host>}}`, `{{address6:<host>}}`, `{{ssh-lateral:public|private}}`), remembers every file a planted secret went into so it can be
 * taken out again (the rotation test), and writes each root's /proc/net files (proc-net.ts).
 */
import { createHash } from 'node:crypto';
import { chown, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { dockerJson } from '../bench/docker-fixtures.js';
import type { LabFile, LabNetwork } from './lab-hosts.js';
import { COMPANION_TOKENS, PLANTED_SECRETS, plantedToken, type ErrorPathSecretId, type PlantedSecretId } from './planted-secrets.js';
import { procFibTrie, procIfInet6, procNetTcp, procNetTcp6, type LabInterfaceAddress } from './proc-net.js';
import { inRoot, writeRootFile } from './rootfs.js';

/** The key pair generated for the run: private half on one host, public half in another's authorized_keys. */
export interface LateralKey {
  publicKey: string;
  privateKey: string;
  /** `SHA256:…` (a scan reports it as `ssh:SHA256:…`). */
  fingerprint: string;
}

/** A file a planted secret was written into. */
export interface PlantedPlace {
  host: string;
  container: string | null;
  /** Path inside the host (or container). */
  path: string;
  /** Where it is on this machine. */
  realPath: string;
  /** `docker-inspect`: a fixture the stand-in replays (Config.Env entries are removed); `lines`: any text file. */
  format: 'lines' | 'docker-inspect';
}

const TOKEN = /\{\{(planted|planted-sha256|planted-last4|planted-base64|address|address6|ssh-lateral):([A-Za-z0-9_.-]+)\}\}/g;

/** Substitutes tokens and records planted files for one lab run. */
export class Planter {
  private readonly places = new Map<PlantedSecretId | ErrorPathSecretId, PlantedPlace[]>();

  constructor(
    /** Lab address of every host of the run's specs, started or not. */
    private readonly addresses: Readonly<Record<string, string>>,
    /** The run's address block (for IPv6 ULAs). */
    private readonly block: number,
    private readonly lateralKey: LateralKey | null,
  ) {}

  /** The text with every token substituted; planted ids met are returned for recording. */
  render(text: string): { text: string; planted: (PlantedSecretId | ErrorPathSecretId)[] } {
    const planted = new Set<PlantedSecretId | ErrorPathSecretId>();
    const rendered = text.replace(TOKEN, (token, kind: string, name: string) => {
      if (kind === 'planted') {
        const value = plantedToken(name);
        if (value === undefined) throw new Error(`lab data: unknown planted secret ${token}`);
        planted.add(Object.hasOwn(COMPANION_TOKENS, name) ? COMPANION_TOKENS[name]!.of : (name as PlantedSecretId | ErrorPathSecretId));
        return value;
      }
      if (kind === 'planted-sha256' || kind === 'planted-last4') {
        // What a database keeps of a key (LiteLLM's token hash, its `sk-...XXXX` key_name): not the value, so not recorded as planted.
        const value = plantedToken(name);
        if (value === undefined) throw new Error(`lab data: unknown planted secret ${token}`);
        return kind === 'planted-sha256' ? createHash('sha256').update(value, 'utf8').digest('hex') : value.slice(-4);
      }
      if (kind === 'planted-base64') {
        // A Kubernetes Secret's `data` as kubectl prints it: the value is in clear nowhere, so not recorded as planted.
        const value = plantedToken(name);
        if (value === undefined) throw new Error(`lab data: unknown planted secret ${token}`);
        return Buffer.from(value, 'utf8').toString('base64');
      }
      if (kind === 'ssh-lateral') {
        if (!this.lateralKey || (name !== 'public' && name !== 'private')) throw new Error(`lab data: no value for ${token}`);
        return name === 'public' ? this.lateralKey.publicKey : this.lateralKey.privateKey;
      }
      const address = this.addresses[name];
      if (address === undefined) throw new Error(`lab data: no lab host ${name} for ${token}`);
      return kind === 'address' ? address : `fd77:77:${this.block}::${address.split('.')[3]}`;
    });
    return { text: rendered, planted: [...planted] };
  }

  /** Writes a lab file into a root, tokens substituted; `owner` (when given) gets the file. */
  async writeFile(
    where: { host: string; container: string | null; root: string },
    file: string,
    content: LabFile | string,
    options: { owner?: { uid: number; gid: number }; format?: PlantedPlace['format'] } = {},
  ): Promise<void> {
    const { content: text, mode } = typeof content === 'string' ? { content, mode: 0o644 } : content;
    const rendered = this.render(text);
    await writeRootFile(where.root, file, rendered.text, mode);
    if (options.owner) await chown(inRoot(where.root, file), options.owner.uid, options.owner.gid);
    for (const id of rendered.planted) {
      const place: PlantedPlace = { host: where.host, container: where.container, path: file, realPath: inRoot(where.root, file), format: options.format ?? 'lines' };
      this.places.set(id, [...(this.places.get(id) ?? []), place]);
    }
  }

  /** Every file the secret was written into (empty after removal). */
  placesOf(id: PlantedSecretId | ErrorPathSecretId): PlantedPlace[] {
    return [...(this.places.get(id) ?? [])];
  }

  /**
   * Takes a planted secret out of every file it went into, as a user rotating it would: the lines
   * (or Docker Config.Env entries) holding its value or a companion are deleted; owner and mode stay.
   */
  async remove(id: PlantedSecretId): Promise<void> {
    const secret = PLANTED_SECRETS[id];
    if (!secret) throw new Error(`no planted secret ${id}`);
    const needles = [secret.value, ...secret.companions];
    const holds = (line: string) => needles.some((needle) => line.includes(needle));
    for (const place of this.placesOf(id)) {
      // A place deleted since (a removed container's files) holds nothing left to take out.
      const before = await stat(place.realPath).catch(() => null);
      if (before === null) continue;
      const text = await readFile(place.realPath, 'utf8');
      let next: string;
      if (place.format === 'docker-inspect') {
        const [object] = JSON.parse(text) as { Config: { Env: string[] } }[];
        object!.Config.Env = object!.Config.Env.filter((entry) => !holds(entry));
        next = dockerJson(object as never);
      } else {
        next = text.split('\n').filter((line) => !holds(line)).join('\n');
      }
      const root = place.realPath.slice(0, place.realPath.length - place.path.length);
      await writeRootFile(root, place.path, next, before.mode & 0o7777);
      await chown(place.realPath, before.uid, before.gid);
    }
    this.places.delete(id);
  }

  /**
   * Writes a root's /proc/net: fib_trie and if_inet6 naming `ownAddresses` (the lab address, as
   * eth0) plus the spec's, tcp and tcp6 from its sockets; `procDir` is `/proc` or `/proc/<pid>`.
   */
  async writeProcNet(root: string, procDir: string, network: LabNetwork | undefined, ownAddress: string | null): Promise<void> {
    const sockets = (list: LabNetwork['tcp']) => (list ?? []).map((socket) => ({
      ...socket,
      local: this.render(socket.local).text,
      ...(socket.remote === undefined ? {} : { remote: this.render(socket.remote).text }),
    }));
    await writeRootFile(root, `${procDir}/net/tcp`, procNetTcp(sockets(network?.tcp)), 0o444);
    await writeRootFile(root, `${procDir}/net/tcp6`, procNetTcp6(sockets(network?.tcp6)), 0o444);
    if (ownAddress === null) return;
    const addresses: LabInterfaceAddress[] = [
      { address: ownAddress, prefix: 24, device: 'eth0' },
      ...(network?.addresses ?? []).map((entry) => ({ ...entry, address: this.render(entry.address).text })),
    ];
    await writeRootFile(root, `${procDir}/net/fib_trie`, procFibTrie(addresses), 0o444);
    await writeRootFile(root, `${procDir}/net/if_inet6`, procIfInet6(addresses), 0o444);
  }
}

/** The folders between a home (exclusive) and a file in it, deepest first: what to give the home's owner. */
export function foldersBetween(home: string, file: string): string[] {
  const folders: string[] = [];
  for (let dir = path.posix.dirname(file); dir.startsWith(`${home}/`); dir = path.posix.dirname(dir)) folders.push(dir);
  return folders;
}
