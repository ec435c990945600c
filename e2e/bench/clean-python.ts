/**
 * A real Python for the benchmark's clean hosts, where Ansible's `setup` runs: Ansible starts the
 * target's interpreter, which on a suspect host would run its `.pth` files, so the bench lets it
 * run only on hosts that hold no compromised package (scan-bench.ts refuses otherwise). The lab's
 * trapped `python3` stays where it is; this interpreter lives apart, in `/opt/bench-python`, and
 * Ansible is pointed at it by path, so nothing the scanner could start by name is real.
 */
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { exists, inRoot, run } from '../lab/rootfs.js';

/** Where the clean hosts' interpreter sits inside their roots (its stdlib is `../lib/pythonX.Y`). */
export const CLEAN_PYTHON_PREFIX = '/opt/bench-python';

/**
 * Hard-links this machine's Python (the interpreter and its standard library, no site or dist
 * packages) into `root` under CLEAN_PYTHON_PREFIX, with the libraries it and its extension modules
 * need; returns the interpreter's path inside the root. Hard links, because the stdlib is ~50 MB
 * and the lab's roots are on the same filesystem; nothing writes through them (Python writes new
 * `.pyc` files, never into existing ones), and removing the root removes only the links.
 */
export async function installCleanPython(root: string): Promise<string> {
  const interpreter = (await run('readlink', ['-f', '/usr/bin/python3'])).trim();
  const short = path.basename(interpreter);
  if (!/^python3\.\d+$/.test(short)) throw new Error(`unexpected python3 on this machine: ${interpreter}`);
  const stdlib = `/usr/lib/${short}`;
  const target = `${CLEAN_PYTHON_PREFIX}/bin/${short}`;
  await mkdir(inRoot(root, `${CLEAN_PYTHON_PREFIX}/bin`), { recursive: true });
  await mkdir(inRoot(root, `${CLEAN_PYTHON_PREFIX}/lib`), { recursive: true });
  await run('cp', ['-l', '--', interpreter, inRoot(root, target)]);
  await run('cp', ['-a', '-l', '--', stdlib, inRoot(root, `${CLEAN_PYTHON_PREFIX}/lib/${short}`)]);
  // Debian keeps site-packages empty and installs into dist-packages; neither is copied, so the host holds no package.
  const dynload = path.join(stdlib, 'lib-dynload');
  const modules = (await readdir(dynload)).filter((name) => name.endsWith('.so')).map((name) => path.join(dynload, name));
  const libraries = new Set<string>();
  for (const file of [interpreter, ...modules]) {
    // One at a time: ldd fails as a whole when any one file is not a dynamic object.
    const listed = await run('ldd', [file]).catch(() => '');
    for (const line of listed.split('\n')) {
      const match = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
      if (match) libraries.add(match[1]!);
    }
  }
  for (const library of libraries) {
    if (await exists(inRoot(root, library))) continue;
    await mkdir(path.dirname(inRoot(root, library)), { recursive: true });
    await run('cp', ['-L', '--', library, inRoot(root, library)]);
  }
  return target;
}
