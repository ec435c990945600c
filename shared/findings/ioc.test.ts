import { describe, expect, it } from 'vitest';
import { generateChecklist } from '../checklist/checklist.js';
import type { HostInventory, IocFinding, IocHit } from '../model/index.js';
import { findIocs, iocFindingId } from './ioc.js';
import { bundledIocRules } from '../domain/iocs/rules.js';

function host(name: string, iocHits: IocHit[]): HostInventory {
  return { name, address: `lab@${name}:22`, status: 'ok', facts: null, containers: [], pythonEnvironments: [], iocHits };
}

const UNIT_HIT: IocHit = {
  ruleId: 'litellm-sysmon-unit',
  container: null,
  path: '/home/lab-blast/.config/systemd/user/sysmon.service',
  unit: 'sysmon.service',
  matched: 'Description=System Telemetry Service',
};
const LINK_HIT: IocHit = { ...UNIT_HIT, path: '/home/lab-blast/.config/systemd/user/default.target.wants/sysmon.service' };
const SCRIPT_HIT: IocHit = { ruleId: 'litellm-sysmon-script', container: null, path: '/home/lab-blast/.config/sysmon/sysmon.py', matched: 'sha256:ab' };
const HISTORY_HIT: IocHit = { ruleId: 'litellm-exfil-domain', container: null, path: '/home/lab-blast/.bash_history', matched: 'dig models.litellm.cloud' };

describe('findIocs', () => {
  it('gives each hit a finding with the rule severity, title, source and what was found where', () => {
    const [finding] = findIocs([host('nodocker', [SCRIPT_HIT])], bundledIocRules());

    expect(finding).toEqual({
      id: 'ioc:nodocker:host:litellm-sysmon-script:/home/lab-blast/.config/sysmon/sysmon.py',
      kind: 'ioc',
      severity: 'critical',
      title: 'LiteLLM payload persistence script ~/.config/sysmon/sysmon.py on nodocker',
      host: 'nodocker',
      container: null,
      rule: 'litellm-sysmon-script',
      path: '/home/lab-blast/.config/sysmon/sysmon.py',
      source: 'LiteLLM blog security-update-march-2026 (primary)',
      ruleKind: 'file',
      compromise: 'litellm-2026-03',
      evidence: [
        'File present at /home/lab-blast/.config/sysmon/sysmon.py: sha256:ab',
        'Rule litellm-sysmon-script (litellm-2026-03, file)',
        'Source: LiteLLM blog security-update-march-2026 (primary)',
      ],
    } satisfies IocFinding);
  });

  it('keeps finding ids stable across scans and apart for a container named like the host', () => {
    const first = findIocs([host('gw', [UNIT_HIT, { ...UNIT_HIT, container: 'host' }])], bundledIocRules());
    const again = findIocs([host('gw', [{ ...UNIT_HIT, container: 'host' }, { ...UNIT_HIT, matched: 'changed text' }])], bundledIocRules());

    expect(first.map((finding) => finding.id).sort()).toEqual(again.map((finding) => finding.id).sort());
    expect(new Set(first.map((finding) => finding.id)).size).toBe(2);
    expect(iocFindingId('gw', null, 'r', '/p', 'u.service')).toBe('ioc:gw:host:r:/p#u.service');
  });

  it('flags secondary sources and keeps hits of rules it does not know, as high', () => {
    const findings = findIocs(
      [host('nodocker', [{ ruleId: 'litellm-pg-state', container: null, path: '/tmp/.pg_state', matched: 'regular file' }, { ruleId: 'someone-elses-rule', container: null, path: '/x', matched: '' }])],
      bundledIocRules(),
    );

    expect(findings.find((finding) => finding.rule === 'litellm-pg-state')?.evidence).toContain(
      'Seen only in third-party write-ups: treat as a lead, confirm by looking at the file',
    );
    expect(findings.find((finding) => finding.rule === 'someone-elses-rule')).toMatchObject({ severity: 'high', title: 'IOC rule someone-elses-rule matched on nodocker' });
  });
});

describe('checklist steps for IOC findings', () => {
  it('asks to remove the unit (with its enablement link) and the script, verified by a re-scan, and nothing for a history line', () => {
    const hosts = [host('nodocker', [UNIT_HIT, LINK_HIT, SCRIPT_HIT, HISTORY_HIT])];
    const findings = findIocs(hosts, bundledIocRules());

    const steps = generateChecklist({ hosts, findings });

    // The IOCs are evidence of compromise: the host is cut off first, then what the payload left is removed.
    expect(steps.map((step) => step.title)).toEqual(['Isolate nodocker', 'Remove sysmon.service on nodocker', 'Remove /home/lab-blast/.config/sysmon/sysmon.py on nodocker']);
    const [isolate, unit, file] = steps;
    expect(isolate).toMatchObject({ phase: 'contain', contains: { host: 'nodocker', container: null } });
    expect(unit).toMatchObject({ phase: 'eradicate', verification: 'rescan', container: null });
    expect(unit?.findingIds).toHaveLength(2);
    expect(unit?.command).toBe(
      'mkdir -p ~/incident-evidence && cp -a -- /home/lab-blast/.config/systemd/user/sysmon.service ~/incident-evidence/; ' +
        'systemctl --user disable --now sysmon.service; ' +
        'rm -f -- /home/lab-blast/.config/systemd/user/sysmon.service /home/lab-blast/.config/systemd/user/default.target.wants/sysmon.service; ' +
        'systemctl --user daemon-reload',
    );
    expect(unit?.detail).toContain('Run the command as lab-blast on nodocker');
    expect(file).toMatchObject({
      phase: 'eradicate',
      verification: 'rescan',
      command: 'mkdir -p ~/incident-evidence && cp -a -- /home/lab-blast/.config/sysmon/sysmon.py ~/incident-evidence/ && rm -f -- /home/lab-blast/.config/sysmon/sysmon.py',
    });
  });

  it('quotes a path a host could have chosen, and gives no command for a file inside a container', () => {
    const odd: IocHit = { ...SCRIPT_HIT, path: "/srv/o'dd $(reboot)/.config/sysmon/sysmon.py" };
    const inContainer: IocHit = { ...SCRIPT_HIT, container: 'litellm' };
    const hosts = [host('gw', [odd, inContainer])];

    const steps = generateChecklist({ hosts, findings: findIocs(hosts, bundledIocRules()) });

    expect(steps.find((step) => step.container === null && step.phase === 'eradicate')?.command).toBe(
      `mkdir -p ~/incident-evidence && cp -a -- '/srv/o'\\''dd $(reboot)/.config/sysmon/sysmon.py' ~/incident-evidence/ && rm -f -- '/srv/o'\\''dd $(reboot)/.config/sysmon/sysmon.py'`,
    );
    const containerStep = steps.find((step) => step.container === 'litellm');
    expect(containerStep?.title).toBe('Remove /home/lab-blast/.config/sysmon/sysmon.py in container litellm on gw');
    expect(containerStep?.command).toBeUndefined();
  });
});
