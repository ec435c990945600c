import { describe, expect, it } from 'vitest';
import type { AppState } from './app-state.js';
import { createAppStore } from './app-store.js';
import { selectCanGiveUpHost, selectCanStartScan, selectCaseHost, selectHostProgress, selectHostRows, selectScanCounts } from './hosts-selectors.js';
import { sampleReport } from '../../shared/fixtures/sample-report.js';

function stateWith(setup: (state: AppState) => void = () => {}): AppState {
  const store = createAppStore();
  setup(store.getState());
  return store.getState();
}

describe('scan selectors', () => {
  it('allows a scan only when a host is ticked and none is running', () => {
    const none = stateWith((s) => s.hostsLoaded([{ name: 'gw', address: 'root@gw:22', source: 'ssh-config' }]));
    const ticked = stateWith((s) => {
      s.hostsLoaded([{ name: 'gw', address: 'root@gw:22', source: 'ssh-config' }]);
      s.hostToggled('gw');
    });
    const running = stateWith((s) => {
      s.hostsLoaded([{ name: 'gw', address: 'root@gw:22', source: 'ssh-config' }]);
      s.hostToggled('gw');
      s.scanRequested(['gw']);
    });

    expect([selectCanStartScan(none), selectCanStartScan(ticked), selectCanStartScan(running)]).toEqual([false, true, false]);
  });

  it('counts hosts that are done, failed or cancelled as settled', () => {
    const state = stateWith((s) => {
      s.scanRequested(['a', 'b', 'c', 'd']);
      s.scanProgressed({ scanId: 's', host: 'a', phase: 'done', message: '' });
      s.scanProgressed({ scanId: 's', host: 'b', phase: 'failed', message: 'refused' });
      s.scanProgressed({ scanId: 's', host: 'c', phase: 'python', message: '' });
    });

    expect(selectScanCounts(state)).toEqual({ total: 4, settled: 2 });
  });

  it('returns null progress for a host that is not part of the scan', () => {
    const state = stateWith((s) => s.scanRequested(['gw']));

    expect(selectHostProgress('nas')(state)).toBeNull();
    expect(selectHostProgress('gw')(state)).toEqual({ phase: 'queued', message: 'Waiting to start' });
  });

  it('offers to give up on a host of the running scan until it has finished', () => {
    const state = stateWith((s) => {
      s.scanRequested(['stuck', 'fine', 'waiting']);
      s.scanStarted('s');
      s.scanProgressed({ scanId: 's', host: 'stuck', phase: 'keys', message: 'waiting for an answer in the keys phase for 45 s' });
      s.scanProgressed({ scanId: 's', host: 'fine', phase: 'done', message: '' });
    });

    expect(['stuck', 'fine', 'waiting', 'other'].map((host) => selectCanGiveUpHost(host)(state))).toEqual([true, false, true, false]);
  });

  it('offers no give-up before the scan has its id or after it finished', () => {
    const starting = stateWith((s) => s.scanRequested(['stuck']));
    const over = stateWith((s) => {
      s.scanRequested(['stuck']);
      s.scanStarted('s');
      s.scanFinished({ scanId: 's', report: { hosts: [], findings: [] } as never, cancelled: false });
    });

    expect([selectCanGiveUpHost('stuck')(starting), selectCanGiveUpHost('stuck')(over)]).toEqual([false, false]);
  });
});

describe('selectCaseHost', () => {
  it("answers the case report's own entry for a host, and null for a host the case does not hold or before a report", () => {
    const report = sampleReport();
    const state = stateWith((s) => s.caseLoaded({ report, progress: {} }));

    expect(selectCaseHost('gw')(state)).toBe(state.report!.hosts[0]);
    expect(selectCaseHost('elsewhere')(state)).toBeNull();
    expect(selectCaseHost('gw')(stateWith())).toBeNull();
  });
});

describe('selectHostRows', () => {
  it('lists the pickable hosts, then the hosts only the case or the running import knows, once each', () => {
    const report = sampleReport();
    const state = stateWith((s) => {
      s.hostsLoaded([{ name: 'gw', address: 'root@gw:22', source: 'ssh-config' }]);
      s.caseLoaded({ report: { ...report, hosts: [{ ...report.hosts[0]!, name: 'gw' }, { ...report.hosts[0]!, name: 'nas', address: 'offline collection' }] }, progress: {} });
      s.importRequested();
      s.scanProgressed({ scanId: 'i1', host: 'web-1', phase: 'facts', message: '' });
      s.scanProgressed({ scanId: 'i1', host: 'nas', phase: 'facts', message: '' });
    });

    expect(selectHostRows(state)).toEqual([
      { name: 'gw', address: 'root@gw:22', source: 'ssh-config' },
      { name: 'nas', address: 'offline collection', source: 'case-only' },
      { name: 'web-1', address: '—', source: 'case-only' },
    ]);
  });

  it('returns the host list itself when the case holds no other host', () => {
    const state = stateWith((s) => s.hostsLoaded([{ name: 'gw', address: 'root@gw:22', source: 'ssh-config' }]));

    expect(selectHostRows(state)).toBe(state.hosts);
  });
});
