import { describe, expect, it } from 'vitest';
import { AdvisoryParseError, parseAdvisoryFile, parseOsvJson, parseOsvYaml } from './osv.js';

const MINIMAL_JSON = JSON.stringify({
  id: 'MAL-2099-1',
  modified: '2099-01-01T00:00:00Z',
  affected: [{ package: { ecosystem: 'PyPI', name: 'demo' }, versions: ['1.0'] }],
});

describe('parseOsvJson', () => {
  it('fills absent optional fields with empty values', () => {
    const record = parseOsvJson(MINIMAL_JSON, 'MAL-2099-1.json');

    expect(record).toMatchObject({
      id: 'MAL-2099-1',
      aliases: [],
      summary: '',
      details: '',
      published: null,
      withdrawn: null,
      references: [],
      databaseSpecific: {},
      affected: [{ package: { ecosystem: 'PyPI', name: 'demo' }, versions: ['1.0'], ranges: [] }],
    });
  });

  it('tolerates fields the schema does not know', () => {
    const text = JSON.stringify({ ...JSON.parse(MINIMAL_JSON), schema_version: '9.9.9', future_field: { x: 1 } });

    const record = parseOsvJson(text, 'future.json');

    expect(record.id).toBe('MAL-2099-1');
  });

  it('rejects a record whose id is empty, naming the file', () => {
    const text = JSON.stringify({ ...JSON.parse(MINIMAL_JSON), id: '' });

    const parse = (): unknown => parseOsvJson(text, 'MAL-0000-litellm.json');

    expect(parse).toThrow(AdvisoryParseError);
    expect(parse).toThrow(/^MAL-0000-litellm\.json: .*empty id/);
  });

  it('rejects a record whose id is only whitespace', () => {
    const text = JSON.stringify({ ...JSON.parse(MINIMAL_JSON), id: '   ' });

    expect(() => parseOsvJson(text, 'blank.json')).toThrow(/empty id/);
  });

  it('rejects JSON with a missing comma, like the broken later copy of MAL-2026-2254', () => {
    const text = '{"id": "MAL-2026-2254", "affected": [{"versions": ["4.87.1" "4.87.2"]}]}';

    expect(() => parseOsvJson(text, 'MAL-2026-2254.json')).toThrow(/^MAL-2026-2254\.json: not valid JSON/);
  });

  it('rejects a document that is not an OSV record, saying which field is wrong', () => {
    const text = JSON.stringify({ id: 'X-1', affected: [{ versions: [1.0] }] });

    expect(() => parseOsvJson(text, 'x.json')).toThrow(/x\.json: not an OSV record at affected\.0\.versions\.0/);
  });

  it('reads a file saved with a byte-order mark', () => {
    expect(parseOsvJson(`\uFEFF${MINIMAL_JSON}`).id).toBe('MAL-2099-1');
  });
});

describe('parseOsvYaml', () => {
  it('keeps unquoted versions as written instead of turning them into numbers', () => {
    const text = [
      'id: PYSEC-2099-1',
      'affected:',
      '- package:',
      '    ecosystem: PyPI',
      '    name: demo',
      '  ranges:',
      '  - type: ECOSYSTEM',
      '    events:',
      '    - introduced: 1.10',
      '    - fixed: 2.0',
      '  versions:',
      '  - 1.10',
      '  - 1.20',
    ].join('\n');

    const record = parseOsvYaml(text, 'PYSEC-2099-1.yaml');

    expect(record.affected[0]?.ranges[0]?.events).toEqual([{ introduced: '1.10' }, { fixed: '2.0' }]);
    expect(record.affected[0]?.versions).toEqual(['1.10', '1.20']);
  });

  it('rejects YAML that does not parse, naming the file', () => {
    expect(() => parseOsvYaml('id: [unclosed', 'bad.yaml')).toThrow(/^bad\.yaml: not valid YAML/);
  });

  it('rejects a YAML record with an empty id', () => {
    expect(() => parseOsvYaml('id: ""\nsummary: placeholder\n', 'empty.yaml')).toThrow(/empty id/);
  });
});

describe('parseAdvisoryFile', () => {
  it('chooses YAML for .yaml and .yml files and JSON for .json files', () => {
    const yaml = 'id: PYSEC-2099-2\naliases:\n- MAL-2099-2\n';

    expect(parseAdvisoryFile('a.yml', yaml).aliases).toEqual(['MAL-2099-2']);
    expect(parseAdvisoryFile('A.YAML', yaml).id).toBe('PYSEC-2099-2');
    expect(parseAdvisoryFile('a.json', MINIMAL_JSON).id).toBe('MAL-2099-1');
    expect(() => parseAdvisoryFile('a.json', yaml)).toThrow(/not valid JSON/);
  });

  it('refuses a file whose extension is not an advisory format', () => {
    expect(() => parseAdvisoryFile('SOURCES.md', '# Provenance')).toThrow(/SOURCES\.md: not an advisory file/);
  });
});
