import { describe, expect, it } from 'vitest';
import { SAMPLE, sampleReport } from '../../shared/fixtures/sample-report.js';
import type { AutoUpdaterFinding, ExposureVerdict, Finding, IocFinding, MutableImageTagFinding, ScanReport } from '../../shared/model/index.js';
import type { AppState } from './app-state.js';
import { createAppStore } from './app-store.js';
import {
  buildTimeline,
  filterFindings,
  findingFacts,
  findingFilterOptions,
  selectFilteredFindings,
  selectFindingCounts,
  selectInventory,
  selectSortedFindings,
  selectTimeline,
} from './selectors.js';
import { NO_FINDING_FILTERS } from './ui-slice.js';

const LITELLM_WINDOW = { id: 'litellm-2026-03-24', start: '2026-03-24T10:39:00Z', end: '2026-03-24T16:00:00Z' };

const mutableTag: MutableImageTagFinding = {
  id: 'mutable-image-tag:gw:container=litellm',
  kind: 'mutable-image-tag',
  severity: 'high',
  title: 'Container litellm on gw runs the mutable tag ghcr.io/berriai/litellm:main-latest',
  host: SAMPLE.gw,
  container: SAMPLE.litellmContainer,
  image: SAMPLE.litellmImage,
  evidence: ['Deployed from ghcr.io/berriai/litellm:main-latest'],
};

const sysmonUnit: IocFinding = {
  id: 'ioc:nodocker:host:litellm-sysmon-unit:/home/alice/.config/systemd/user/sysmon.service#sysmon.service',
  kind: 'ioc',
  severity: 'critical',
  title: 'LiteLLM payload persistence unit sysmon.service on nodocker',
  host: SAMPLE.nodocker,
  container: null,
  rule: 'litellm-sysmon-unit',
  source: 'LiteLLM blog security-update-march-2026 (primary)',
  path: '/home/alice/.config/systemd/user/sysmon.service',
  unit: 'sysmon.service',
  ruleKind: 'systemd-unit',
  evidence: ['Unit file present'],
};

const watchtower: AutoUpdaterFinding = {
  id: 'auto-updater:gw:container=watchtower',
  kind: 'auto-updater',
  severity: 'medium',
  title: 'Watchtower on gw pulls new images unattended',
  host: SAMPLE.gw,
  container: 'watchtower',
  updater: 'watchtower',
  watches: ['open-webui'],
  evidence: ['WATCHTOWER_LABEL_ENABLE=true'],
};

const exposure = (container: string, verdict: ExposureVerdict['verdict'], window: ExposureVerdict['window'] = LITELLM_WINDOW): ExposureVerdict => ({
  host: SAMPLE.gw,
  container,
  path: SAMPLE.litellmSite,
  package: 'litellm',
  installedVersion: '1.82.8',
  advisories: ['MAL-2026-2144'],
  verdict,
  reasons: [],
  window,
});

/** The sample report with the depth facts: container times, an updater, an IOC and a mutable tag. */
function deepReport(): ScanReport {
  const report: ScanReport = { ...sampleReport(), findings: [...sampleReport().findings, mutableTag, sysmonUnit, watchtower] };
  const gw = report.hosts.find((host) => host.name === SAMPLE.gw)!;
  const [litellm, openWebui] = gw.containers;
  Object.assign(litellm!, { imageCreated: '2026-03-24T11:21:07Z', created: '2026-03-24T12:02:41.511203347Z', startedAt: '2026-03-24T12:02:42.067119954Z' });
  Object.assign(openWebui!, { imageCreated: '2026-03-01T08:00:00Z', created: '2026-03-10T09:12:44Z', startedAt: '0001-01-01T00:00:00Z' });
  gw.containers.push({ id: 'w', name: 'watchtower', image: 'containrrr/watchtower', imageDigest: null, running: true });
  report.exposures = [exposure(SAMPLE.litellmContainer, 'exposed')];
  return report;
}

function stateWith(report: ScanReport, setup: (state: AppState) => void = () => {}): AppState {
  const store = createAppStore();
  store.getState().caseLoaded({ report, progress: {} });
  setup(store.getState());
  return store.getState();
}

describe('findings list', () => {
  it('lists every finding most severe first', () => {
    const findings = selectSortedFindings(stateWith(deepReport()));

    expect(findings.map((finding) => finding.severity)).toEqual(['critical', 'critical', 'critical', 'high', 'medium']);
    expect(findings.map((finding) => finding.id)).toEqual(expect.arrayContaining([mutableTag.id, sysmonUnit.id, watchtower.id]));
  });

  it('lets every finding through when no filter is set', () => {
    const findings = deepReport().findings;

    expect(filterFindings(findings, NO_FINDING_FILTERS)).toHaveLength(findings.length);
  });

  it('keeps only the findings of the picked host, severity and kind together', () => {
    const findings: Finding[] = deepReport().findings;

    const onGwHigh = filterFindings(findings, { host: SAMPLE.gw, severity: 'high', kind: null });
    const iocs = filterFindings(findings, { host: null, severity: null, kind: 'ioc' });
    const none = filterFindings(findings, { host: SAMPLE.nodocker, severity: null, kind: 'mutable-image-tag' });

    expect([onGwHigh.map((finding) => finding.id), iocs.map((finding) => finding.id), none]).toEqual([[mutableTag.id], [sysmonUnit.id], []]);
  });

  it('filters through the ui slice filter events and clears them again', () => {
    const filtered = stateWith(deepReport(), (s) => {
      s.findingFilterChanged('host', SAMPLE.nodocker);
      s.findingFilterChanged('kind', 'ioc');
    });
    const cleared = stateWith(deepReport(), (s) => {
      s.findingFilterChanged('host', SAMPLE.nodocker);
      s.findingFiltersCleared();
    });

    expect(selectFilteredFindings(filtered).map((finding) => finding.id)).toEqual([sysmonUnit.id]);
    expect(selectFilteredFindings(cleared)).toHaveLength(5);
  });

  it('offers the hosts and kinds that have findings, and keeps a picked value a re-scan dropped', () => {
    const findings = deepReport().findings;

    const options = findingFilterOptions(findings, NO_FINDING_FILTERS);
    const stale = findingFilterOptions(findings, { host: 'nas', severity: null, kind: 'build-time-install' });

    expect(options.hosts).toEqual([SAMPLE.gw, SAMPLE.nodocker]);
    expect(options.kinds).toEqual(['compromised-package', 'ioc', 'mutable-image-tag', 'auto-updater']);
    expect(options.severities).toEqual(['critical', 'high', 'medium', 'low', 'info']);
    expect([stale.hosts.at(-1), stale.kinds.at(-1)]).toEqual(['nas', 'build-time-install']);
  });

  it('counts findings per severity before any filter', () => {
    const state = stateWith(deepReport(), (s) => s.findingFilterChanged('severity', 'medium'));

    expect(selectFindingCounts(state)).toEqual({ critical: 3, high: 1, medium: 1, low: 0, info: 0 });
  });

  it('states an ioc finding by rule, path, unit and source, leaving out what it does not have', () => {
    const withoutUnit: IocFinding = { ...sysmonUnit, unit: undefined, ruleKind: undefined };

    expect(findingFacts(sysmonUnit).map((fact) => fact.label)).toEqual(['Rule', 'Path', 'Unit', 'Source']);
    expect(findingFacts(withoutUnit)).toEqual([
      { label: 'Rule', value: 'litellm-sysmon-unit' },
      { label: 'Path', value: sysmonUnit.path },
      { label: 'Source', value: sysmonUnit.source },
    ]);
  });
});

describe('inventory depth', () => {
  it('marks a container an auto-updater watches with the updater that watches it', () => {
    const gw = selectInventory(stateWith(deepReport())).find((host) => host.name === SAMPLE.gw)!;

    expect(gw.containers.map((container) => [container.name, container.watchedBy])).toEqual([
      ['litellm', []],
      ['open-webui', ['watchtower']],
      ['watchtower', []],
    ]);
  });

  it('counts the .pth files with an executable line per environment', () => {
    const report = deepReport();
    const site = report.hosts[0]!.pythonEnvironments.find((environment) => environment.container === SAMPLE.litellmContainer)!;
    site.pthFiles = [
      { path: `${site.path}/litellm_init.pth`, sha256: 'ab', owner: null, lines: [{ text: 'import os; exec(...)', executable: true }] },
      { path: `${site.path}/distutils-precedence.pth`, sha256: 'cd', owner: 'setuptools', lines: [{ text: '/opt/extra', executable: false }] },
    ];

    const environment = selectInventory(stateWith(report))[0]!.environments.find((entry) => entry.container === SAMPLE.litellmContainer)!;

    expect([environment.pthFiles.length, environment.executablePthCount]).toEqual([2, 1]);
  });

  it('tells a host whose IOC search did not run from one where it matched nothing', () => {
    const report = deepReport();
    report.hosts[1]!.iocHits = [];

    const [gw, nodocker] = selectInventory(stateWith(report));

    expect([gw!.iocHits, nodocker!.iocHits]).toEqual([null, []]);
  });
});

describe('timeline', () => {
  it('is empty when no exposure has a compromise window', () => {
    const report = deepReport();
    report.exposures = [exposure(SAMPLE.litellmContainer, 'unknown', null)];

    expect(buildTimeline(report)).toEqual([]);
    expect(buildTimeline(null)).toEqual([]);
  });

  it('plots the affected container and the updater-watched one against the window, with its source', () => {
    const [window, ...others] = selectTimeline(stateWith(deepReport()));

    expect(others).toEqual([]);
    expect(window).toMatchObject({ id: 'litellm-2026-03-24', start: LITELLM_WINDOW.start, end: LITELLM_WINDOW.end });
    expect(window!.source).toContain('security-update-march-2026');
    expect(window!.rows.map((row) => [row.label, row.verdict, row.watchedBy])).toEqual([
      ['litellm · gw', 'exposed', []],
      ['open-webui · gw', null, ['watchtower']],
    ]);
  });

  it('places each time before, during or after the window and leaves out Docker\'s "never"', () => {
    const [window] = buildTimeline(deepReport());

    const dots = window!.series.flatMap((series) => series.points.map((point) => `${point.label} ${point.event} ${point.relation}`));

    expect(dots).toEqual([
      'litellm · gw image-built during',
      'open-webui · gw image-built before',
      'litellm · gw created during',
      'open-webui · gw created before',
      'litellm · gw started during',
    ]);
  });

  it('spans the x axis over every dot and the window', () => {
    const [window] = buildTimeline(deepReport());

    expect(window!.domain[0]).toBeLessThan(Date.parse('2026-03-01T08:00:00Z'));
    expect(window!.domain[1]).toBeGreaterThan(Date.parse(LITELLM_WINDOW.end));
  });

  it('ticks the x axis inside its range and at the start of the window', () => {
    const [window] = buildTimeline(deepReport());
    const [low, high] = window!.domain;

    expect(window!.ticks).toContain(Date.parse(LITELLM_WINDOW.start));
    expect(window!.ticks.every((tick) => tick >= low && tick <= high)).toBe(true);
    expect(window!.ticks).toEqual([...window!.ticks].sort((a, b) => a - b));
  });

  it('keeps the worst verdict of a container with several affected packages', () => {
    const report = deepReport();
    report.exposures = [exposure(SAMPLE.litellmContainer, 'not-exposed'), exposure(SAMPLE.litellmContainer, 'likely-exposed')];

    expect(buildTimeline(report)[0]!.rows[0]!.verdict).toBe('likely-exposed');
  });

  it('says so when the user changed the window the report used', () => {
    const report = deepReport();
    report.exposures = [exposure(SAMPLE.litellmContainer, 'exposed', { ...LITELLM_WINDOW, end: '2026-03-24T11:19:00Z' })];

    expect(buildTimeline(report)[0]!.source).toContain('Changed by the user to 2026-03-24T10:39:00Z – 2026-03-24T11:19:00Z');
  });
});
