import { describe, expect, it } from 'vitest';
import { bundledIocRules, bundledIocRulesVersion, iocRulesInfo, IocRulesError, KNOWN_COMPROMISES, mergeIocRules, parseIocRules, parseIocRulesText, type IocRule } from './rules.js';

const VALID_RULE = {
  id: 'example-file',
  title: 'Example persistence file',
  compromise: 'example-2026-04',
  severity: 'high',
  source: { name: 'GHSA-xxxx-xxxx-xxxx', kind: 'primary' },
  kind: 'file',
  path: '~/.config/example/example.py',
};

/** VALID_RULE changed by `overrides`; a field set to undefined is dropped, as it would be absent from a file. */
function rule(overrides: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify({ ...VALID_RULE, ...overrides })) as unknown;
}

function problemsOf(document: unknown): string {
  try {
    parseIocRules(document, 'extra/rules.json');
  } catch (error) {
    expect(error).toBeInstanceOf(IocRulesError);
    return (error as Error).message;
  }
  throw new Error('the rules validated');
}

describe('bundled IOC rules', () => {
  it('validate, and every rule names its source and whether it is primary or secondary', () => {
    const rules = bundledIocRules();

    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.source.name.length, rule.id).toBeGreaterThan(2);
      expect(['primary', 'secondary'], rule.id).toContain(rule.source.kind);
    }
  });

  it('cover the LiteLLM, Trivy and Telnyx compromises with the indicators INCIDENT.md lists', () => {
    const rules = bundledIocRules();
    const count = (compromise: string): number => rules.filter((rule) => rule.compromise === compromise).length;
    const values = rules.map((rule) => JSON.stringify(rule)).join('\n');

    expect(KNOWN_COMPROMISES.map(count).every((n) => n > 0)).toBe(true);
    for (const indicator of [
      '~/.config/sysmon/sysmon.py',
      'sysmon.service',
      'System Telemetry Service',
      'checkmarx.zone',
      '/tmp/pglog',
      '/tmp/.pg_state',
      'models.litellm.cloud',
      'tpcp.tar.gz',
      '71e35aef03099cd1f2d6446734273025a163597de93912df321ef118bf135238',
      'scan.aquasecurtiy.org',
      '45.148.10.212',
      '~/.config/audiomon/audiomon.py',
      'audiomon.service',
      '/tmp/.initd_state',
      '83.142.209.203',
    ]) {
      expect(values, indicator).toContain(indicator);
    }
  });

  it('mark the /tmp/pglog and /tmp/.pg_state facts as secondary, as INCIDENT.md does', () => {
    // Among the rules of files and units: the wider campaign's are all secondary (next test).
    const secondary = bundledIocRules()
      .filter((rule) => rule.source.kind === 'secondary' && rule.compromise !== 'teampcp-2026-03' && rule.kind !== 'log-string' && rule.kind !== 'kubernetes-workload')
      .map((rule) => rule.id)
      .sort();

    expect(secondary).toEqual(['litellm-pg-state', 'litellm-pglog']);
  });

  it('carry the Kubernetes payload\'s workloads from INCIDENT.md, secondary as it marks them', () => {
    const rules = bundledIocRules().filter((rule) => rule.kind === 'kubernetes-workload');

    expect(rules.map((rule) => rule.id).sort()).toEqual(['teampcp-k8s-host-provisioner', 'teampcp-k8s-node-setup-pod']);
    expect(rules.find((rule) => rule.id === 'teampcp-k8s-node-setup-pod')).toMatchObject({
      compromise: 'litellm-2026-03',
      resources: ['Pod'],
      namespace: 'kube-system',
      namePrefix: 'node-setup-',
      requires: ['privileged'],
      source: { kind: 'secondary' },
    });
    expect(rules.find((rule) => rule.id === 'teampcp-k8s-host-provisioner')).toMatchObject({
      compromise: 'teampcp-2026-03',
      names: ['host-provisioner-iran', 'host-provisioner-std'],
      requires: ['host-root'],
    });
  });

  it('refuse a Kubernetes workload rule that names no workload', () => {
    expect(() =>
      parseIocRules(
        { schemaVersion: 1, rules: [{ ...VALID_RULE, kind: 'kubernetes-workload', path: undefined, resources: ['Pod'], namespace: 'kube-system' }] },
        'extra.json',
      ),
    ).toThrow(/needs names or namePrefix/);
  });

  it('cover the wider campaign\'s persistence names from INCIDENT.md, every one marked secondary', () => {
    const campaign = bundledIocRules().filter((rule) => rule.compromise === 'teampcp-2026-03');
    const values = campaign.map((rule) => JSON.stringify(rule)).join('\n');

    for (const indicator of [
      '~/.config/sysmon.py',
      '~/.local/share/pgmon/service.py',
      'pgmon.service',
      '/var/lib/pgmon/pgmon.py',
      'pgmonitor.service',
      '/var/lib/svc_internal/runner.py',
      'internal-monitor.service',
    ]) {
      expect(values, indicator).toContain(indicator);
    }
    expect(campaign.every((rule) => rule.source.kind === 'secondary')).toBe(true);
  });

  it('carry the Sigma rule\'s stager string for logged command lines', () => {
    const stager = bundledIocRules().find((rule) => rule.id === 'teampcp-stager-in-logs');

    expect(stager).toMatchObject({ kind: 'log-string', strings: ['kI2NF9TQ1JJUFQgPSAiYV'], source: { kind: 'secondary' } });
  });

  it('hold no published false-positive indicator on its own', () => {
    const values = bundledIocRules().flatMap((rule) => (rule.kind === 'domain' ? [rule.domain] : rule.kind === 'log-string' ? rule.strings : []));

    expect(values).not.toContain('169.254.169.254');
    expect(values).not.toContain('icp0.io');
    expect(values).not.toContain('service.py');
  });
});

describe('published false-positive exclusions', () => {
  it('refuse the cloud metadata address, a bare parent domain and a generic file name as a rule on their own, citing the source', () => {
    const message = problemsOf({
      schemaVersion: 1,
      rules: [
        rule({ id: 'metadata', kind: 'domain', path: undefined, domain: '169.254.169.254' }),
        rule({ id: 'parent', kind: 'domain', path: undefined, domain: 'icp0.io' }),
        rule({ id: 'generic-log', kind: 'log-string', path: undefined, strings: ['deploy.js'] }),
        rule({ id: 'generic-file', path: '/tmp/setup.sh' }),
      ],
    });

    expect(message).toContain('rules[0] (id "metadata"): never a finding on its own: 169.254.169.254 is a published false positive (ugurrates/teampcp-supply-chain-attack)');
    expect(message).toContain('rules[1] (id "parent"): never a finding on its own: icp0.io');
    expect(message).toContain('rules[2] (id "generic-log"): never a finding on its own: deploy.js');
    expect(message).toContain('rules[3] (id "generic-file"): never a finding on its own: setup.sh in /tmp');
  });

  it('still accept a named subdomain of an excluded parent, a generic name below a specific folder, and one with contains', () => {
    const rules = parseIocRules(
      {
        schemaVersion: 1,
        rules: [
          rule({ id: 'subdomain', kind: 'domain', path: undefined, domain: 'abc123.icp0.io' }),
          rule({ id: 'specific', path: '~/.local/share/pgmon/service.py' }),
          rule({ id: 'with-contains', path: '/tmp/setup.sh', contains: ['checkmarx.zone'] }),
        ],
      },
      'rules.json',
    );

    expect(rules.map((parsed) => parsed.id)).toEqual(['subdomain', 'specific', 'with-contains']);
  });
});

describe('parseIocRules', () => {
  it('fills in defaults: any scope for a unit, a 1 MiB bound and depth 8 for a hash search', () => {
    const [unit, hash] = parseIocRules(
      {
        schemaVersion: 1,
        rules: [
          rule({ id: 'unit-x', kind: 'systemd-unit', path: undefined, unit: 'x.service' }),
          rule({ id: 'hash-x', kind: 'file-hash', path: undefined, sha256: ['a'.repeat(64)], search: { roots: ['/opt'], name: '*.pth' } }),
        ],
      },
      'rules.json',
    );

    expect(unit).toMatchObject({ kind: 'systemd-unit', scope: 'any' });
    expect(hash).toMatchObject({ kind: 'file-hash', maxBytes: 1024 * 1024, search: { maxDepth: 8 } });
  });

  it('rejects a malformed rule with a message naming the file, the rule and the field', () => {
    const message = problemsOf({
      schemaVersion: 1,
      rules: [VALID_RULE, rule({ id: 'bad-hash', kind: 'file-hash', path: undefined, sha256: ['71E35AEF'], paths: ['/tmp/x'] })],
    });

    expect(message).toBe('extra/rules.json: rules[1] (id "bad-hash").sha256[0]: must be 64 lowercase hex digits');
  });

  it('rejects a rule without a source', () => {
    const { source: _dropped, ...withoutSource } = VALID_RULE;

    expect(problemsOf({ schemaVersion: 1, rules: [withoutSource] })).toMatch(/^extra\/rules\.json: rules\[0\] \(id "example-file"\)\.source: /);
  });

  it('rejects strings and paths that could change what the script does', () => {
    const message = problemsOf({
      schemaVersion: 1,
      rules: [
        rule({ id: 'newline', kind: 'log-string', path: undefined, strings: ['evil\n'] }),
        { ...VALID_RULE, id: 'relative', path: 'tmp/x' },
        { ...VALID_RULE, id: 'dotdot', path: '~/../etc/shadow' },
        rule({ id: 'short', kind: 'log-string', path: undefined, strings: ['a'] }),
      ],
    });

    expect(message).toContain('rules[0] (id "newline").strings[0]: must not contain a newline, carriage return or NUL');
    expect(message).toContain('rules[1] (id "relative").path: must be absolute (/…) or relative to every home (~/…)');
    expect(message).toContain('rules[2] (id "dotdot").path: must not contain . or .. components');
    expect(message).toContain('rules[3] (id "short").strings[0]: must be at least 4 characters');
  });

  it('rejects an unknown kind, a misspelt field and a duplicate id', () => {
    const message = problemsOf({
      schemaVersion: 1,
      rules: [
        { ...VALID_RULE, kind: 'registry-key' },
        { ...VALID_RULE, id: 'typo', contians: ['x'] },
        VALID_RULE,
      ],
    });

    expect(message).toContain('rules[0] (id "example-file").kind: Invalid discriminator value');
    expect(message).toContain('rules[1] (id "typo"): Unrecognized key: "contians"');
    expect(message).toContain('rules[2] (id "example-file").id: duplicate rule id "example-file"');
  });

  it('reads YAML as well as JSON, and names a file that is neither', () => {
    const yaml = `schemaVersion: 1
rules:
  - id: example-domain
    title: Example domain
    compromise: example-2026-04
    severity: medium
    source: { name: example write-up, kind: secondary }
    kind: domain
    domain: bad.example.net
`;

    expect(parseIocRulesText('extra.yaml', yaml).map((rule) => rule.id)).toEqual(['example-domain']);
    expect(() => parseIocRulesText('extra.json', '{ rules: ')).toThrow(/^extra\.json: not valid JSON: /);
  });
});

describe('mergeIocRules', () => {
  it('keeps bundled rules first and lets an extra rule with the same id replace the bundled one', () => {
    const bundled = bundledIocRules();
    const replacement = { ...bundled[0]!, severity: 'low' } as IocRule;
    const added = parseIocRules({ schemaVersion: 1, rules: [VALID_RULE] }, 'extra.json')[0]!;

    const merged = mergeIocRules(bundled, [replacement, added]);

    expect(merged).toHaveLength(bundled.length + 1);
    expect(merged[0]).toBe(replacement);
    expect(merged.at(-1)).toBe(added);
  });
});

describe('iocRulesInfo', () => {
  it('names the bundled release and counts the rules, none custom, for the bundled rules alone', () => {
    const info = iocRulesInfo(bundledIocRules());

    expect(info).toMatchObject({ version: bundledIocRulesVersion(), rules: bundledIocRules().length, custom: 0 });
    expect(info.version).toMatch(/^\d{4}\.\d{2}\.\d+$/);
    expect(info.fingerprint).toMatch(/^fnv1a64:[0-9a-f]{16}$/);
  });

  it('counts an added rule and a corrected copy of a bundled rule as custom, and changes the fingerprint', () => {
    const [first] = bundledIocRules();
    const added = parseIocRules({ schemaVersion: 1, rules: [VALID_RULE] }, 'extra.json');
    const corrected = { ...first!, title: `${first!.title} (corrected)` } as IocRule;

    const withAdded = iocRulesInfo(mergeIocRules(bundledIocRules(), added));
    const withCorrected = iocRulesInfo(mergeIocRules(bundledIocRules(), [corrected]));

    expect(withAdded).toMatchObject({ rules: bundledIocRules().length + 1, custom: 1 });
    expect(withCorrected).toMatchObject({ rules: bundledIocRules().length, custom: 1 });
    const fingerprints = new Set([iocRulesInfo(bundledIocRules()), withAdded, withCorrected].map((info) => info.fingerprint));
    expect(fingerprints.size).toBe(3);
  });
});
