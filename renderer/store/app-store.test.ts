import { describe, expect, it } from 'vitest';
import { mergeIntoLedger } from '../../shared/case/index.js';
import { LAB, LAB_FINDING_IDS, sampleLabReport, sampleReport } from '../../shared/fixtures/sample-report.js';
import { createAppStore } from './app-store.js';
import { selectChecklistSteps } from './checklist-selectors.js';
import { selectHiddenEdgeStyles } from './graph-selectors.js';

const gw = { name: 'gw', address: 'root@gw:22', source: 'ssh-config' as const };
const nas = { name: 'nas', address: 'root@nas:22', source: 'manual' as const };

describe('hosts events', () => {
  it('unticks hosts that vanish from a reloaded list', () => {
    const store = createAppStore();
    store.getState().hostsLoaded([gw, nas]);
    store.getState().allHostsToggled(true);

    store.getState().hostsLoaded([gw]);

    expect(store.getState().selectedHosts).toEqual(['gw']);
  });

  it('toggles one host on and off', () => {
    const store = createAppStore();
    store.getState().hostsLoaded([gw, nas]);

    store.getState().hostToggled('nas');
    const on = store.getState().selectedHosts;
    store.getState().hostToggled('nas');

    expect([on, store.getState().selectedHosts]).toEqual([['nas'], []]);
  });
});

describe('scan events', () => {
  it('keeps progress pushes that arrive before startScan answers', () => {
    const store = createAppStore();
    store.getState().scanRequested(['gw']);

    store.getState().scanProgressed({ scanId: 's1', host: 'gw', phase: 'connecting', message: 'root@gw:22' });
    store.getState().scanStarted('s1');

    expect(store.getState().scan).toMatchObject({ scanId: 's1', running: true, progress: { gw: { phase: 'connecting' } } });
  });

  it('ignores progress from another scan once the id is known', () => {
    const store = createAppStore();
    store.getState().scanRequested(['gw']);
    store.getState().scanStarted('s1');

    store.getState().scanProgressed({ scanId: 'other', host: 'gw', phase: 'failed', message: 'x' });

    expect(store.getState().scan.progress['gw']?.phase).toBe('queued');
  });

  it('stays finished when the scan ends before startScan answers', () => {
    const store = createAppStore();
    store.getState().scanRequested(['gw']);

    store.getState().scanFinished({ scanId: 's1', report: sampleReport(), cancelled: false });
    store.getState().scanStarted('s1');

    expect(store.getState().scan).toMatchObject({ running: false, outcome: 'finished' });
  });

  it('makes the finished scan’s report the case report and records a cancel', () => {
    const store = createAppStore();
    const report = sampleReport();
    store.getState().scanRequested(['gw']);
    store.getState().scanStarted('s1');

    store.getState().scanFinished({ scanId: 's1', report, cancelled: true });

    expect(store.getState().report).toBe(report);
    expect(store.getState().scan).toMatchObject({ running: false, outcome: 'cancelled' });
  });

  it('stops running when every host has failed and no finish will come', () => {
    const store = createAppStore();
    store.getState().scanRequested(['gw', 'nas']);
    store.getState().scanStarted('s1');

    store.getState().scanProgressed({ scanId: 's1', host: 'gw', phase: 'failed', message: 'disk full' });
    const afterFirst = store.getState().scan.running;
    store.getState().scanProgressed({ scanId: 's1', host: 'nas', phase: 'failed', message: 'disk full' });

    expect([afterFirst, store.getState().scan.running, store.getState().scan.outcome]).toEqual([true, false, 'failed']);
  });
});

describe('ui events', () => {
  it('shows the same error message once however often it is raised', () => {
    const store = createAppStore();

    store.getState().errorRaised('connection closed');
    store.getState().errorRaised('connection closed');
    store.getState().errorRaised('other');

    expect(store.getState().errors.map((error) => error.message)).toEqual(['connection closed', 'other']);
  });

  it('dismisses one error by id', () => {
    const store = createAppStore();
    store.getState().errorRaised('a');
    store.getState().errorRaised('b');

    store.getState().errorDismissed(store.getState().errors[0]!.id);

    expect(store.getState().errors.map((error) => error.message)).toEqual(['b']);
  });

  it('removes only the answered prompt', () => {
    const store = createAppStore();
    store.getState().passphrasePrompted({ promptId: 'p1', host: 'gw', keyPath: 'k1' });
    store.getState().passphrasePrompted({ promptId: 'p2', host: 'gw', keyPath: 'k2' });

    store.getState().promptAnswered('p1');

    expect(store.getState().prompts.map((prompt) => prompt.promptId)).toEqual(['p2']);
  });
});

describe('graph edge filter events', () => {
  it('keeps the edge styles turned off while the user goes to another view and back', () => {
    const store = createAppStore();
    store.getState().edgeStyleToggled('holds');
    store.getState().edgeStyleToggled('lateral');

    store.getState().viewChosen('findings');
    store.getState().viewChosen('graph');

    expect([...selectHiddenEdgeStyles(store.getState())].sort()).toEqual(['holds', 'lateral']);
  });

  it('turns a style back on, and every style on at once', () => {
    const store = createAppStore();
    store.getState().edgeStyleToggled('holds');
    store.getState().edgeStyleToggled('routes');

    store.getState().edgeStyleToggled('holds');
    const afterOne = [...selectHiddenEdgeStyles(store.getState())];
    store.getState().edgeStylesAllShown();

    expect([afterOne, [...selectHiddenEdgeStyles(store.getState())]]).toEqual([['routes'], []]);
  });

  it('hides stranded nodes only once asked to', () => {
    const store = createAppStore();
    const before = store.getState().strandedNodesHidden;

    store.getState().strandedNodesToggled();

    expect([before, store.getState().strandedNodesHidden]).toEqual([false, true]);
  });
});

describe('case ledger', () => {
  it('keeps the steps of a key the finished scan no longer finds, from the ledger the scan pushes', () => {
    const store = createAppStore();
    const first = sampleLabReport();
    const rotated = sampleLabReport();
    rotated.scannedAt = '2026-03-25T09:30:00.000Z';
    rotated.findings = rotated.findings.filter((finding) => finding.id !== LAB_FINDING_IDS.openaiKey);
    store.getState().caseLoaded({ report: first, progress: {}, windowOverrides: {}, ledger: mergeIntoLedger(null, first) });
    const goneId = `rotate:key-gone:${encodeURIComponent(LAB.openaiKey)}`;

    store.getState().scanFinished({ scanId: 's2', report: rotated, cancelled: false, ledger: mergeIntoLedger(mergeIntoLedger(null, first), rotated) });
    const kept = selectChecklistSteps(store.getState()).find((step) => step.id === goneId);
    store.getState().scanFinished({ scanId: 's3', report: rotated, cancelled: false });

    expect(kept?.kept?.lastSeen).toBe(first.scannedAt);
    expect(selectChecklistSteps(store.getState()).some((step) => step.id === goneId)).toBe(true);
  });
});
