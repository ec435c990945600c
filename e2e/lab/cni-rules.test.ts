import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rulesLeftBy, splitRuleLine } from './cni-rules.js';

// Listings as `iptables -S` printed them on this machine after Podman lab runs were killed: two runs
// on `ai-gateway_default` (10.201.3.0/24 and 10.176.99.0/24) and one container on Podman's own
// default network (10.88.0.0/16), which is no lab run's.
const nat = readFileSync(new URL('./fixtures/iptables/nat.txt', import.meta.url), 'utf8');
const filter = readFileSync(new URL('./fixtures/iptables/filter.txt', import.meta.url), 'utf8');
const run = { subnets: ['10.201.3.0/24'], bridges: ['brlab33c74e0d'] };

describe('splitRuleLine', () => {
  it('keeps a quoted comment with escaped quotes as one word', () => {
    expect(splitRuleLine('-A X -m comment --comment "name: \\"net\\" id: \\"ab\\"" -j ACCEPT')).toEqual([
      '-A', 'X', '-m', 'comment', '--comment', 'name: "net" id: "ab"', '-j', 'ACCEPT',
    ]);
  });
});

describe('rulesLeftBy', () => {
  it("finds the port DNAT, masquerade and their jumps of a run's container, and nothing of another run", () => {
    const left = rulesLeftBy(nat, run);
    expect(left.chains.sort()).toEqual(['CNI-DN-faf6a6971119666d1afd1', 'CNI-faf6a6971119666d1afd1a5c']);
    expect(left.rules.map((rule) => `${rule.chain} -j ${rule.words.at(-1)}`).sort()).toEqual([
      'CNI-HOSTPORT-DNAT -j CNI-DN-faf6a6971119666d1afd1',
      'POSTROUTING -j CNI-faf6a6971119666d1afd1a5c',
    ]);
    // The words are the rule's own specification, as `iptables -D` needs them.
    const jump = left.rules.find((rule) => rule.chain === 'CNI-HOSTPORT-DNAT')!;
    expect(jump.words).toContain('dnat name: "ai-gateway_default" id: "53f3f0196611f4f1806f661144217967f8aa7b495c84b7f4d702bef979a20881"');
    expect(jump.words.slice(-4)).toEqual(['--dports', '38123', '-j', 'CNI-DN-faf6a6971119666d1afd1']);
  });

  it('leaves the shared CNI chains and the hooks into them', () => {
    const left = rulesLeftBy(nat, { subnets: ['10.201.3.0/24', '10.176.99.0/24'], bridges: [] });
    expect(left.chains).toHaveLength(4);
    expect(left.rules.map((rule) => rule.chain)).not.toContain('PREROUTING');
    expect(left.rules.map((rule) => rule.chain)).not.toContain('OUTPUT');
    expect(left.chains.some((chain) => chain.startsWith('CNI-HOSTPORT'))).toBe(false);
  });

  it("finds the firewall's accepts for the run's addresses and its bridge's isolation rules", () => {
    const left = rulesLeftBy(filter, run);
    expect(left.chains).toEqual([]);
    expect(left.rules.map((rule) => [rule.chain, ...rule.words].join(' ')).sort()).toEqual([
      'CNI-FORWARD -d 10.201.3.2/32 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      'CNI-FORWARD -s 10.201.3.2/32 -j ACCEPT',
      'CNI-ISOLATION-STAGE-1 -i brlab33c74e0d ! -o brlab33c74e0d -m comment --comment CNI firewall plugin rules (ingressPolicy: same-bridge) -j CNI-ISOLATION-STAGE-2',
      'CNI-ISOLATION-STAGE-2 -o brlab33c74e0d -m comment --comment CNI firewall plugin rules (ingressPolicy: same-bridge) -j DROP',
    ]);
  });

  it('finds nothing for a run that recorded nothing', () => {
    expect(rulesLeftBy(nat, { subnets: [], bridges: [] })).toEqual({ rules: [], chains: [] });
  });
});
