import { describe, expect, it } from 'vitest';
import { advisorySnapshot, buildAdvisoryIndex, compareAdvisoryIds } from './advisory-index.js';
import type { OsvEvent, OsvRecord } from './osv.js';

function record(overrides: Partial<OsvRecord> & Pick<OsvRecord, 'id'>): OsvRecord {
  return {
    aliases: [],
    related: [],
    summary: '',
    details: '',
    published: null,
    modified: null,
    withdrawn: null,
    affected: [],
    references: [],
    databaseSpecific: {},
    ...overrides,
  };
}

function withRange(id: string, events: OsvEvent[], type = 'ECOSYSTEM', name = 'demo'): OsvRecord {
  return record({ id, affected: [{ package: { ecosystem: 'PyPI', name }, ranges: [{ type, events }], versions: [] }] });
}

function withVersions(id: string, versions: string[], name = 'demo', ecosystem = 'PyPI'): OsvRecord {
  return record({ id, affected: [{ package: { ecosystem, name }, ranges: [], versions }] });
}

function affectedVersions(records: OsvRecord[], candidates: string[]): string[] {
  const index = buildAdvisoryIndex(records);
  return candidates.filter((version) => index.match('PyPI', 'demo', version).length > 0);
}

describe('ECOSYSTEM range semantics', () => {
  it('includes the introduced version and excludes the fixed one', () => {
    const records = [withRange('GHSA-r1', [{ introduced: '1.0' }, { fixed: '2.0' }])];

    const hit = affectedVersions(records, ['0.9', '1.0', '1.5', '2.0rc1', '2.0', '2.0.1']);

    expect(hit).toEqual(['1.0', '1.5', '2.0rc1']);
  });

  it('reads introduced 0 as every version before the fix', () => {
    const records = [withRange('GHSA-r2', [{ introduced: '0' }, { fixed: '1.2' }])];

    const hit = affectedVersions(records, ['0.0.1', '0.dev0', '1.1.9', '1.2', '3.0']);

    expect(hit).toEqual(['0.0.1', '0.dev0', '1.1.9']);
  });

  it('includes last_affected itself and a local build of it, but not its post release or the next version', () => {
    const records = [withRange('GHSA-r3', [{ introduced: '1.0' }, { last_affected: '1.4' }])];

    const hit = affectedVersions(records, ['1.4', '1.4.0', '1.4+cpu', '1.4.post1', '1.4.1', '1.5']);

    expect(hit).toEqual(['1.4', '1.4.0', '1.4+cpu']);
  });

  it('treats several introduced/fixed pairs in one range as separate affected stretches', () => {
    const records = [withRange('GHSA-r4', [{ introduced: '1.0' }, { fixed: '1.2' }, { introduced: '2.0' }, { fixed: '2.3' }])];

    const hit = affectedVersions(records, ['0.5', '1.1', '1.5', '2.0', '2.2.9', '2.3', '3.0']);

    expect(hit).toEqual(['1.1', '2.0', '2.2.9']);
  });

  it('sorts the events by version before evaluating them, as the OSV specification requires', () => {
    const records = [withRange('GHSA-r5', [{ introduced: '2.0' }, { fixed: '2.3' }, { introduced: '1.0' }, { fixed: '1.2' }])];

    const hit = affectedVersions(records, ['1.1', '1.5', '2.2', '2.3']);

    expect(hit).toEqual(['1.1', '2.2']);
  });

  it('leaves a range with only an introduced event open-ended', () => {
    const records = [withRange('GHSA-r6', [{ introduced: '3.0' }])];

    expect(affectedVersions(records, ['2.9', '3.0', '99.0'])).toEqual(['3.0', '99.0']);
  });

  it('ignores SEMVER and GIT ranges for PyPI packages', () => {
    const records = [
      withRange('GHSA-s1', [{ introduced: '0' }], 'SEMVER'),
      withRange('GHSA-g1', [{ introduced: '0' }, { fixed: 'a1b2c3d' }], 'GIT'),
    ];

    expect(affectedVersions(records, ['0.1', '1.0', '5.0'])).toEqual([]);
  });

  it('says which record and which range matched', () => {
    const index = buildAdvisoryIndex([withRange('PYSEC-r7', [{ introduced: '8.3.41' }, { fixed: '8.3.47' }])]);

    const [match] = index.match('PyPI', 'demo', '8.3.44');

    expect(match?.reasons).toEqual([{ advisoryId: 'PYSEC-r7', via: 'range', description: 'range introduced 8.3.41, fixed 8.3.47' }]);
  });
});

describe('explicit versions lists', () => {
  it('matches a listed version however it is spelled, and only that version', () => {
    const records = [withVersions('MAL-v1', ['1.0', '2.0rc1'])];

    const hit = affectedVersions(records, ['1.0', '1.0.0', 'v1.0', '2.0RC1', '1.0.1', '2.0']);

    expect(hit).toEqual(['1.0', '1.0.0', 'v1.0', '2.0RC1']);
  });

  it('matches a package listed under another ecosystem only for that ecosystem', () => {
    const index = buildAdvisoryIndex([withVersions('MAL-npm', ['1.0'], 'demo', 'npm')]);

    expect(index.match('PyPI', 'demo', '1.0')).toEqual([]);
  });

  it('finds a record by any PEP 503 spelling of the package name', () => {
    const index = buildAdvisoryIndex([withVersions('MAL-n1', ['1.0'], 'lite-llm')]);

    const names = ['lite-llm', 'lite_llm', 'Lite.LLM', 'LITE__LLM', 'litellm'];

    expect(names.filter((name) => index.match('PyPI', name, '1.0').length > 0)).toEqual(['lite-llm', 'lite_llm', 'Lite.LLM', 'LITE__LLM']);
  });
});

describe('alias merging', () => {
  it('merges records that alias each other, even through a third id, into one group with the primary id first', () => {
    const records = [
      record({ ...withVersions('PYSEC-2099-1', ['1.0']), aliases: ['CVE-2099-1'] }),
      record({ ...withVersions('MAL-2099-1', ['2.0']), aliases: ['PYSEC-2099-1'] }),
      record({ ...withRange('GHSA-aaaa-bbbb-cccc', [{ introduced: '3.0' }, { fixed: '3.1' }]), aliases: ['CVE-2099-1'] }),
    ];

    const index = buildAdvisoryIndex(records);

    expect(index.groups).toHaveLength(1);
    expect(index.groups[0]?.ids).toEqual(['MAL-2099-1', 'GHSA-aaaa-bbbb-cccc', 'PYSEC-2099-1', 'CVE-2099-1']);
    expect(['1.0', '2.0', '3.0', '3.1'].map((version) => index.match('PyPI', 'demo', version).map((match) => match.ids[0]))).toEqual([
      ['MAL-2099-1'],
      ['MAL-2099-1'],
      ['MAL-2099-1'],
      [],
    ]);
    expect(index.groups[0]?.packages).toEqual([
      { name: 'demo', versions: ['1.0', '2.0'], ranges: ['introduced 3.0, fixed 3.1'] },
    ]);
  });

  it('keeps records that share no id in separate groups', () => {
    const index = buildAdvisoryIndex([withVersions('MAL-a', ['1.0']), withVersions('GHSA-b', ['1.0'])]);

    expect(index.match('PyPI', 'demo', '1.0').map((match) => match.ids)).toEqual([['MAL-a'], ['GHSA-b']]);
  });

  it('orders ids MAL-, then GHSA-, then PYSEC-, then others', () => {
    const ids = ['CVE-2026-1', 'PYSEC-2026-2', 'GHSA-5mg7-485q-xm76', 'MAL-2026-2144', 'BIT-x'];

    expect([...ids].sort(compareAdvisoryIds)).toEqual(['MAL-2026-2144', 'GHSA-5mg7-485q-xm76', 'PYSEC-2026-2', 'BIT-x', 'CVE-2026-1']);
  });

  it('keeps the most recently modified copy when the same id is loaded twice', () => {
    const older = record({ ...withVersions('MAL-dup', ['1.0']), modified: '2026-03-24T00:00:00Z' });
    const newer = record({ ...withVersions('MAL-dup', ['1.0', '1.1']), modified: '2026-03-26T00:00:00Z' });

    const index = buildAdvisoryIndex([newer, older]);

    expect(index.match('PyPI', 'demo', '1.1').map((match) => match.ids)).toEqual([['MAL-dup']]);
  });

  it('drops withdrawn records', () => {
    const withdrawn = record({ ...withVersions('GHSA-gone', ['1.0']), withdrawn: '2026-03-25T00:00:00Z' });

    expect(buildAdvisoryIndex([withdrawn]).match('PyPI', 'demo', '1.0')).toEqual([]);
  });

  it('takes the earliest published and latest modified date of the group', () => {
    const records = [
      record({ ...withVersions('MAL-d', ['1.0']), aliases: ['PYSEC-d'], published: '2026-03-24T11:15:14Z', modified: '2026-03-26T09:53:17Z' }),
      record({ ...withVersions('PYSEC-d', ['1.0']), published: '2026-03-24T15:35:32Z', modified: '2026-03-27T00:00:00Z' }),
    ];

    const [match] = buildAdvisoryIndex(records).match('PyPI', 'demo', '1.0');

    expect(match).toMatchObject({ published: '2026-03-24T11:15:14Z', modified: '2026-03-27T00:00:00Z' });
  });
});

describe('malicious flag and severity', () => {
  it('rates a MAL- record as malicious and critical', () => {
    const [match] = buildAdvisoryIndex([withVersions('MAL-m1', ['1.0'])]).match('PyPI', 'demo', '1.0');

    expect(match).toMatchObject({ malicious: true, severity: 'critical' });
  });

  it('rates a record whose text reports malicious code as malicious', () => {
    const text = record({ ...withVersions('PYSEC-m2', ['1.0']), summary: 'A number of releases contained malicious crypto miner software.' });

    expect(buildAdvisoryIndex([text]).match('PyPI', 'demo', '1.0')[0]).toMatchObject({ malicious: true, severity: 'critical' });
  });

  it('does not call an ordinary vulnerability malicious because its text mentions a malicious user', () => {
    const vulnerability = record({
      ...withVersions('PYSEC-v1', ['1.0']),
      summary: 'Path traversal',
      details: 'A malicious user could read arbitrary files through a crafted request.',
    });

    expect(buildAdvisoryIndex([vulnerability]).match('PyPI', 'demo', '1.0')[0]).toMatchObject({ malicious: false, severity: 'high' });
  });

  it('maps a GitHub severity of MODERATE to medium and LOW to low', () => {
    const moderate = record({ ...withVersions('GHSA-mod', ['1.0']), databaseSpecific: { severity: 'MODERATE' } });
    const low = record({ ...withVersions('GHSA-low', ['2.0']), databaseSpecific: { severity: 'LOW' } });

    const index = buildAdvisoryIndex([moderate, low]);

    expect(index.match('PyPI', 'demo', '1.0')[0]?.severity).toBe('medium');
    expect(index.match('PyPI', 'demo', '2.0')[0]?.severity).toBe('low');
  });

  it('lists the most severe matching group first', () => {
    const low = record({ ...withVersions('GHSA-low', ['1.0']), databaseSpecific: { severity: 'LOW' } });
    const malicious = withVersions('MAL-z', ['1.0']);

    const matches = buildAdvisoryIndex([low, malicious]).match('PyPI', 'demo', '1.0');

    expect(matches.map((match) => match.ids[0])).toEqual(['MAL-z', 'GHSA-low']);
  });
});

describe('advisorySnapshot', () => {
  it('lists every record in effect by id with its own modified time and the ids merged with it, withdrawn records left out', () => {
    const index = buildAdvisoryIndex([
      record({ ...withVersions('PYSEC-2099-1', ['1.0']), modified: '2099-01-02T00:00:00Z' }),
      record({ ...withVersions('MAL-2099-1', ['1.0']), aliases: ['PYSEC-2099-1'], modified: '2099-01-03T00:00:00Z' }),
      record({ ...withVersions('GHSA-gone-gone-gone', ['1.0']), withdrawn: '2099-01-04T00:00:00Z' }),
      withVersions('OTHER-1', ['2.0']),
    ]);

    expect(advisorySnapshot(index)).toEqual([
      { id: 'MAL-2099-1', modified: '2099-01-03T00:00:00Z', aliases: ['PYSEC-2099-1'] },
      { id: 'OTHER-1', modified: null, aliases: [] },
      { id: 'PYSEC-2099-1', modified: '2099-01-02T00:00:00Z', aliases: ['MAL-2099-1'] },
    ]);
  });
});
