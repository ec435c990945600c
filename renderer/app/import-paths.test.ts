import { describe, expect, it } from 'vitest';
import { parseImportPaths } from './import-paths.js';

describe('parseImportPaths', () => {
  it('takes one path per line, trimmed, dropping blank lines and repeats', () => {
    expect(parseImportPaths('  /srv/collected/web-1.brc\n\n/srv/collected/box.brc  \r\n/srv/collected/web-1.brc\n')).toEqual([
      '/srv/collected/web-1.brc',
      '/srv/collected/box.brc',
    ]);
  });

  it('keeps commas and spaces inside a path, as a file name may hold them', () => {
    expect(parseImportPaths('/data/site a, rack 2/nas.brc')).toEqual(['/data/site a, rack 2/nas.brc']);
  });

  it('removes one pair of matching quotes a copied path comes with, and no unmatched one', () => {
    expect(parseImportPaths(`'/tmp/my host.brc'\n"/tmp/b.brc"\n'/tmp/c.brc`)).toEqual(['/tmp/my host.brc', '/tmp/b.brc', "'/tmp/c.brc"]);
  });

  it('finds no path in an empty or blank field', () => {
    expect(parseImportPaths(' \n \n')).toEqual([]);
  });
});
