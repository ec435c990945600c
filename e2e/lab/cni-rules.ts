/**
 * The iptables rules Podman's CNI plugins leave behind. For each container on a network, CNI adds
 * NAT and filter rules to the machine's own tables (portmap: a DNAT of the published host port for
 * every local address; bridge: masquerade; firewall: accepts and isolation by bridge) and removes
 * them only when Podman tears that container's network down. A lab run's teardown kills its
 * engines instead of asking them (a wedged engine would never answer), so every Podman run left
 * its rules, and a stale DNAT captures any later connection to that port on any local address:
 * a server that happened to bind it (the browser host picks a random port) never saw the
 * connection, which waited on a container that no longer exists.
 *
 * This module finds the rules a run left, from the subnets and bridges the run recorded, and
 * deletes them with the same `iptables -w` the plugins use (one rule at a time, by its own
 * specification, so rules other runs add meanwhile are untouched).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The tables CNI writes to. */
const TABLES = ['nat', 'filter'] as const;
type Table = (typeof TABLES)[number];

/** A chain CNI makes for one container (masquerade `CNI-<hash>`, port DNAT `CNI-DN-<hash>`), deleted with it. */
const CONTAINER_CHAIN = /^CNI-(DN-)?[0-9a-f]{16,}$/;
const CONTAINER_ID = /id: "([0-9a-f]{64})"/g;

/** One rule of `iptables -S`: its chain and the words after `-A <chain>`. */
interface Rule {
  chain: string;
  words: string[];
}

/** What a run left in one table: rules to delete one by one, then the container chains to flush and remove. */
export interface LeftRules {
  rules: Rule[];
  chains: string[];
}

/** Splits one line of `iptables -S` into words: double quotes group, `\"` inside them is a quote. */
export function splitRuleLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quoted = false;
  let started = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (quoted && char === '\\' && line[index + 1] === '"') {
      word += '"';
      index++;
    } else if (char === '"') {
      quoted = !quoted;
      started = true;
    } else if (char === ' ' && !quoted) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else {
      word += char;
      started = true;
    }
  }
  if (started) words.push(word);
  return words;
}

/** Whether an IPv4 address (alone, `a.b.c.d/len` or `a.b.c.d:port`) lies in `subnet` (`a.b.c.d/len`). */
function inSubnet(value: string, subnet: string): boolean {
  const [network = '', lengthText = '32'] = subnet.split('/');
  const address = ipv4Number(value.split(/[/:]/)[0]!);
  const base = ipv4Number(network);
  const length = Number(lengthText);
  if (address === null || base === null || !Number.isInteger(length) || length < 0 || length > 32) return false;
  const block = 2 ** (32 - length);
  return Math.floor(address / block) === Math.floor(base / block);
}

function ipv4Number(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) < 256)) return null;
  return parts.reduce((sum, part) => sum * 256 + Number(part), 0);
}

/**
 * The rules of one table's `iptables -S` listing that belong to a run: those naming an address in
 * one of its subnets (`-s`, `-d`, `--to-destination`) or one of its bridges (`-i`, `-o`), those that
 * carry the id of a container such a rule names, those that jump to a container chain of the run;
 * and those container chains themselves.
 */
export function rulesLeftBy(listing: string, run: { subnets: readonly string[]; bridges: readonly string[] }): LeftRules {
  const rules: Rule[] = listing
    .split('\n')
    .filter((line) => line.startsWith('-A '))
    .map((line) => {
      const [, chain, ...words] = splitRuleLine(line);
      return { chain: chain!, words };
    });
  // A negated match (`! -d 224.0.0.0/4`) names what the rule excludes, not what it is about.
  const valueAfter = (rule: Rule, flags: readonly string[]) =>
    rule.words.flatMap((word, index) => (flags.includes(word) && rule.words[index - 1] !== '!' ? [rule.words[index + 1] ?? ''] : []));
  const namesRun = (rule: Rule) =>
    valueAfter(rule, ['-s', '-d', '--to-destination']).some((value) => run.subnets.some((subnet) => inSubnet(value, subnet))) ||
    valueAfter(rule, ['-i', '-o']).some((name) => run.bridges.includes(name));
  const idsOf = (rule: Rule) => [...rule.words.join(' ').matchAll(CONTAINER_ID)].map((match) => match[1]!);

  const ids = new Set(rules.filter(namesRun).flatMap(idsOf));
  const chains = new Set(
    rules.filter((rule) => CONTAINER_CHAIN.test(rule.chain) && (namesRun(rule) || idsOf(rule).some((id) => ids.has(id)))).map((rule) => rule.chain),
  );
  const jumpsToRunChain = (rule: Rule) => valueAfter(rule, ['-j', '-g']).some((target) => chains.has(target));
  return {
    rules: rules.filter((rule) => !chains.has(rule.chain) && (namesRun(rule) || idsOf(rule).some((id) => ids.has(id)) || jumpsToRunChain(rule))),
    chains: [...chains],
  };
}

/** Deletes every rule and container chain the run's subnets and bridges left in the nat and filter tables; resolves with how many rules went. */
export async function deleteRulesLeftBy(run: { subnets: readonly string[]; bridges: readonly string[] }): Promise<number> {
  if (run.subnets.length === 0 && run.bridges.length === 0) return 0;
  let deleted = 0;
  for (const table of TABLES) {
    const listing = await iptables(table, ['-S']).catch(() => null);
    if (listing === null) continue; // no iptables here: nothing can have been left either
    const left = rulesLeftBy(listing, run);
    for (const rule of left.rules) {
      if (await iptables(table, ['-D', rule.chain, ...rule.words]).then(() => true, () => false)) deleted++;
    }
    for (const chain of left.chains) {
      const listed = await iptables(table, ['-S', chain]).catch(() => '');
      deleted += listed.split('\n').filter((line) => line.startsWith('-A ')).length;
      await iptables(table, ['-F', chain]).catch(() => undefined);
      await iptables(table, ['-X', chain]).catch(() => undefined);
    }
  }
  return deleted;
}

async function iptables(table: Table, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('iptables', ['-w', '-t', table, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
