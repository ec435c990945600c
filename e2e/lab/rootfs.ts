/**
 * Builds the lab's root filesystems: base userlands (a Debian-like one copied from this machine's
 * binaries with the libraries `ldd` lists, and a busybox-only one), per-root essentials (passwd,
 * /dev/null, os-release, booby traps) and Python metadata (dist-info, egg-info, virtualenvs).
 * Base userlands are built once per run and hard-linked into each root, so a root costs
 * milliseconds. Every symlink made here is relative, so following one from outside the chroot
 * never leaves it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, copyFile, lstat, mkdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { LabDistribution, LabSitePackages, LabVirtualenv, OsRelease } from './lab-hosts.js';
import { OS_RELEASE } from './lab-hosts.js';

const execFileAsync = promisify(execFile);

/** Where trap hits are logged, inside each root (world-writable file, so unprivileged users log too). */
export const TRAP_LOG = '/var/log/booby-trap';
/** Interpreter and installer names that must never run on a scanned host. */
export const TRAP_NAMES = ['python', 'python3', 'python3.11', 'python3.12', 'pip', 'pip3'] as const;
/** Folders that get a trap of each name; /usr/local/bin comes first in the lab's PATH. */
export const TRAP_DIRS = ['/usr/local/bin', '/usr/bin'] as const;
/** The PATH every lab session gets (sshd SetEnv): trap folders first. */
export const LAB_PATH = '/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin';
/** Where lab-only helpers live inside a root (real uname, docker stand-in data). */
export const LAB_LIB = '/usr/lib/blast-radius-lab';

const DEBIAN_BINARIES = [
  '/usr/bin/dash', '/usr/bin/bash', '/usr/bin/cat', '/usr/bin/head', '/usr/bin/tail', '/usr/bin/ls', '/usr/bin/mkdir',
  '/usr/bin/rm', '/usr/bin/cp', '/usr/bin/mv', '/usr/bin/ln', '/usr/bin/chmod', '/usr/bin/stat', '/usr/bin/wc',
  '/usr/bin/tr', '/usr/bin/cut', '/usr/bin/sort', '/usr/bin/uniq', '/usr/bin/printf', '/usr/bin/echo', '/usr/bin/test',
  '/usr/bin/[', '/usr/bin/env', '/usr/bin/id', '/usr/bin/basename', '/usr/bin/dirname', '/usr/bin/readlink',
  '/usr/bin/realpath', '/usr/bin/sha256sum', '/usr/bin/od', '/usr/bin/tee', '/usr/bin/true', '/usr/bin/false',
  '/usr/bin/sleep', '/usr/bin/date', '/usr/bin/touch', '/usr/bin/timeout', '/usr/bin/expr', '/usr/bin/base64',
  '/usr/bin/whoami', '/usr/bin/find', '/usr/bin/xargs', '/usr/bin/sed', '/usr/bin/mawk', '/usr/bin/grep',
  // dd: Ansible's piped file transfer (no sftp-server or scp in the lab), which the offline-collection playbook test uses.
  '/usr/bin/dd', '/usr/sbin/chroot',
];

const TRAP_SCRIPT = `#!/bin/sh
# Blast Radius lab booby trap. A scanner must never start an interpreter or pip on a suspect host:
# Python runs every "import" line of every .pth file at start-up (litellm 1.82.8's payload did).
# Records the attempt for the test to read, then fails.
printf '%s %s\\n' "$0" "$*" >> ${TRAP_LOG} 2>/dev/null
exit 1
`;

const UNAME_WRAPPER = (realUname: string) => `#!/bin/sh
# Blast Radius lab: sshd cannot give a chroot its own UTS namespace, so without this every lab host
# would report the machine's hostname. "uname -n" answers from /etc/hostname; all else is the real uname.
case "$*" in
  -n|--nodename) cat /etc/hostname; exit 0 ;;
esac
exec ${realUname} "$@"
`;

/** Runs a command, failing with its stderr. */
export async function run(file: string, args: string[]): Promise<string> {
  try {
    return (await execFileAsync(file, args, { maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`${file} ${args.join(' ')} failed: ${stderr || (error as Error).message}`);
  }
}

/** Joins an in-root absolute path onto a root folder. */
export function inRoot(root: string, absolute: string): string {
  if (!absolute.startsWith('/')) throw new Error(`not an absolute path: ${absolute}`);
  const joined = path.join(root, absolute);
  if (joined !== root && !joined.startsWith(`${root}/`)) throw new Error(`${absolute} leaves the root`);
  return joined;
}

/** Writes a file inside a root; replaces (never writes through) what is there, so hard-linked base files stay intact. */
export async function writeRootFile(root: string, absolute: string, content: string | Uint8Array, mode = 0o644): Promise<void> {
  const target = inRoot(root, absolute);
  await mkdir(path.dirname(target), { recursive: true });
  await assertInside(root, path.dirname(target));
  await rm(target, { force: true });
  await writeFile(target, content, { mode, flag: 'wx' });
  await chmod(target, mode);
}

/** Throws when a folder, once symlinks are resolved, is outside the root. */
async function assertInside(root: string, dir: string): Promise<void> {
  const [realRoot, realDir] = await Promise.all([realpath(root), realpath(dir)]);
  if (realDir !== realRoot && !realDir.startsWith(`${realRoot}/`)) throw new Error(`${dir} resolves outside ${root}`);
}

/** Makes a relative symlink `absoluteLink` → `absoluteTarget`, both paths inside the root. */
async function relativeSymlink(root: string, absoluteLink: string, absoluteTarget: string): Promise<void> {
  const link = inRoot(root, absoluteLink);
  await mkdir(path.dirname(link), { recursive: true });
  await rm(link, { force: true });
  await symlink(path.relative(path.dirname(absoluteLink), absoluteTarget) || '.', link);
}

/** Builds the Debian-like base: usr-merged layout, dash as /bin/sh, bash, GNU tools and their libraries, traps. */
export async function buildDebianBase(base: string): Promise<void> {
  for (const dir of ['/usr/bin', '/usr/sbin', '/usr/lib', '/usr/lib64', LAB_LIB]) await mkdir(inRoot(base, dir), { recursive: true });
  for (const name of ['bin', 'sbin', 'lib', 'lib64']) await symlink(`usr/${name}`, path.join(base, name));

  const binaries = DEBIAN_BINARIES.filter((file) => existsSync(file));
  const missing = DEBIAN_BINARIES.filter((file) => !existsSync(file));
  if (missing.length) throw new Error(`lab userland: missing on this machine: ${missing.join(' ')}`);
  const libraries = new Set<string>();
  // `ldd` on several files prints each one's needs; only absolute paths are files to copy (vdso is not).
  for (const line of (await run('ldd', binaries)).split('\n')) {
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line);
    if (match?.[1]) libraries.add(match[1]);
  }
  await Promise.all([
    ...binaries.map((file) => copyFile(file, inRoot(base, file))),
    ...[...libraries].map(async (library) => {
      const target = inRoot(base, library);
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(await realpath(library), target);
    }),
  ]);
  await Promise.all(binaries.map(async (file) => chmod(inRoot(base, file), (await lstat(file)).mode & 0o7777)));
  await relativeSymlink(base, '/usr/bin/sh', '/usr/bin/dash');
  await relativeSymlink(base, '/usr/bin/awk', '/usr/bin/mawk');
  await copyFile('/usr/bin/uname', inRoot(base, `${LAB_LIB}/uname`));
  await chmod(inRoot(base, `${LAB_LIB}/uname`), 0o755);
  await writeRootFile(base, '/usr/bin/uname', UNAME_WRAPPER(`${LAB_LIB}/uname`), 0o755);
  await writeTraps(base);
  await makeDevices(base);
}

/** Builds the busybox-only base: /bin/busybox (static) and one relative link per applet, Alpine's non-merged layout. */
export async function buildBusyboxBase(base: string): Promise<void> {
  for (const dir of ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/lib']) await mkdir(inRoot(base, dir), { recursive: true });
  await copyFile('/bin/busybox', inRoot(base, '/bin/busybox'));
  await chmod(inRoot(base, '/bin/busybox'), 0o755);
  const applets = (await run('/bin/busybox', ['--list-full'])).split('\n').filter((line) => line.trim() !== '');
  await Promise.all(
    applets.map((applet) => (applet === 'bin/busybox' ? undefined : relativeSymlink(base, `/${applet}`, '/bin/busybox'))),
  );
  await writeRootFile(base, '/bin/uname', UNAME_WRAPPER('/bin/busybox uname'), 0o755);
  await writeTraps(base);
  await makeDevices(base);
}

/** /dev/null and friends, made once per base (cp -al links device nodes like files). */
async function makeDevices(root: string): Promise<void> {
  await mkdir(inRoot(root, '/dev'), { recursive: true, mode: 0o755 });
  for (const [name, minor] of [['null', 3], ['zero', 5], ['random', 8], ['urandom', 9]] as const) {
    await run('mknod', ['-m', '0666', inRoot(root, `/dev/${name}`), 'c', '1', String(minor)]);
  }
}

/** Writes the booby-trapped interpreters and pips into a root (a host's, a container's, a system container's folder). */
export async function writeTraps(root: string): Promise<void> {
  await Promise.all(TRAP_DIRS.flatMap((dir) => TRAP_NAMES.map((name) => writeRootFile(root, `${dir}/${name}`, TRAP_SCRIPT, 0o755))));
}

/** Hard-links a base userland into a new root (`cp -al`): instant, and the base's inodes are never written afterwards. */
export async function cloneBase(base: string, root: string): Promise<void> {
  await mkdir(path.dirname(root), { recursive: true, mode: 0o755 });
  await run('cp', ['-a', '-l', '--', base, root]);
  await chmod(root, 0o755);
}

/** A login account inside a root. */
export interface RootAccount {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

/** The per-root essentials: accounts, /dev nodes, /tmp, os-release, hostname, home, trap log. */
export async function populateRoot(
  root: string,
  options: { hostname: string; osRelease: OsRelease; accounts: RootAccount[] },
): Promise<void> {
  const accounts = [{ name: 'root', uid: 0, gid: 0, home: '/root', shell: '/bin/sh' }, ...options.accounts.filter((a) => a.name !== 'root')];
  const rootAccount = options.accounts.find((a) => a.name === 'root');
  if (rootAccount) accounts[0] = rootAccount;
  await writeRootFile(root, '/etc/passwd', accounts.map((a) => `${a.name}:x:${a.uid}:${a.gid}:${a.name}:${a.home}:${a.shell}\n`).join(''));
  await writeRootFile(root, '/etc/group', accounts.map((a) => `${a.name}:x:${a.gid}:\n`).join(''));
  await writeRootFile(root, '/etc/nsswitch.conf', 'passwd: files\ngroup: files\nhosts: files\n');
  await writeRootFile(root, '/etc/os-release', OS_RELEASE[options.osRelease]);
  await writeRootFile(root, '/etc/hostname', `${options.hostname}\n`);
  await mkdir(inRoot(root, '/tmp'), { recursive: true });
  await chmod(inRoot(root, '/tmp'), 0o1777);
  for (const account of accounts) {
    const home = inRoot(root, account.home);
    await mkdir(home, { recursive: true });
    await chown(home, account.uid, account.gid);
    await chmod(home, account.uid === 0 ? 0o700 : 0o755);
  }
  await writeRootFile(root, TRAP_LOG, '', 0o666);
}

/** Lists the trap hits recorded in a root (empty when none). */
export async function readTrapLog(root: string): Promise<string[]> {
  const text = await readFile(inRoot(root, TRAP_LOG), 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line !== '');
}

/** Empties a root's trap log. */
export async function clearTrapLog(root: string): Promise<void> {
  if (existsSync(inRoot(root, TRAP_LOG))) await writeRootFile(root, TRAP_LOG, '', 0o666);
}

/** Writes a site-packages folder: each distribution's metadata and files, owned by `owner`. */
export async function writeSitePackages(root: string, site: LabSitePackages, owner = { uid: 0, gid: 0 }): Promise<void> {
  await mkdir(inRoot(root, site.path), { recursive: true });
  await Promise.all(site.distributions.map((distribution) => writeDistribution(root, site.path, distribution)));
  for (const [relative, content] of Object.entries(site.siteFiles ?? {})) await writeRootFile(root, `${site.path}/${relative}`, content);
  if (owner.uid !== 0) await run('chown', ['-R', `${owner.uid}:${owner.gid}`, '--', inRoot(root, firstOwnedFolder(site.path))]);
}

/** For a user site (~/.local/...), the folder to hand to the user: the home's `.local`. */
function firstOwnedFolder(sitePath: string): string {
  const match = /^(\/home\/[^/]+\/\.local)\//.exec(sitePath) ?? /^(\/root\/\.local)\//.exec(sitePath);
  return match?.[1] ?? sitePath;
}

/**
 * A dist-info distribution's files as its wheel holds them, relative to site-packages: its own
 * files and the `.dist-info` files a wheel carries (no INSTALLER or RECORD, which the installer
 * writes). A test builds a known-good wheel of a lab distribution from these.
 */
export function distributionWheelFiles(dist: LabDistribution): Record<string, string> {
  const normalised = dist.name.replace(/[-_.]+/g, '_');
  const summary = dist.summary ?? `${dist.name} (blast-radius lab metadata only)`;
  const files = dist.files ?? { [`${normalised.toLowerCase()}/__init__.py`]: '# blast-radius lab: placeholder module, no code\n' };
  const folder = dist.folderName ?? `${normalised}-${dist.version}.dist-info`;
  return {
    ...files,
    [`${folder}/METADATA`]: distributionMetadata(dist, summary),
    [`${folder}/WHEEL`]: 'Wheel-Version: 1.0\nGenerator: bdist_wheel (0.45.1)\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
    [`${folder}/top_level.txt`]: `${topLevel(files).join('\n')}\n`,
  };
}

function distributionMetadata(dist: LabDistribution, summary: string): string {
  return `Metadata-Version: 2.1\nName: ${dist.name}\nVersion: ${dist.version}\nSummary: ${summary}\nHome-page: https://pypi.org/project/${dist.name}/\nLicense: MIT\nRequires-Python: >=3.8\n\n${summary}\n`;
}

/** Writes one distribution the way pip (dist-info) or setuptools/distro packaging (egg-info) leaves it. */
async function writeDistribution(root: string, sitePath: string, dist: LabDistribution): Promise<void> {
  const normalised = dist.name.replace(/[-_.]+/g, '_');
  const summary = dist.summary ?? `${dist.name} (blast-radius lab metadata only)`;
  const files = dist.files ?? { [`${normalised.toLowerCase()}/__init__.py`]: '# blast-radius lab: placeholder module, no code\n' };
  const metadata = distributionMetadata(dist, summary);
  await Promise.all(Object.entries(files).map(([relative, content]) => writeRootFile(root, `${sitePath}/${relative}`, content)));

  if (dist.format === 'egg-info') {
    const folder = dist.folderName ?? `${normalised}-${dist.version}.egg-info`;
    await writeRootFile(root, `${sitePath}/${folder}/PKG-INFO`, metadata);
    await writeRootFile(root, `${sitePath}/${folder}/top_level.txt`, `${topLevel(files).join('\n')}\n`);
    await writeRootFile(root, `${sitePath}/${folder}/dependency_links.txt`, '\n');
    await writeRootFile(root, `${sitePath}/${folder}/SOURCES.txt`, `${Object.keys(files).join('\n')}\n`);
    return;
  }
  const folder = dist.folderName ?? `${normalised}-${dist.version}.dist-info`;
  const wheel = distributionWheelFiles(dist);
  const own: Record<string, string> = {
    [`${folder}/METADATA`]: metadata,
    [`${folder}/INSTALLER`]: 'pip\n',
    [`${folder}/WHEEL`]: wheel[`${folder}/WHEEL`]!,
    [`${folder}/top_level.txt`]: wheel[`${folder}/top_level.txt`]!,
  };
  await Promise.all(Object.entries(own).map(([relative, content]) => writeRootFile(root, `${sitePath}/${relative}`, content)));
  const record = Object.entries({ ...files, ...own })
    .map(([relative, content]) => `${relative},sha256=${recordHash(content)},${Buffer.byteLength(content)}`)
    .concat(`${folder}/RECORD,,`);
  await writeRootFile(root, `${sitePath}/${folder}/RECORD`, `${record.join('\n')}\n`);
  // After RECORD, as someone editing an installed package would.
  for (const [relative, content] of Object.entries(dist.tamperedFiles ?? {})) await writeRootFile(root, `${sitePath}/${relative}`, content);
}

function topLevel(files: Record<string, string>): string[] {
  return [...new Set(Object.keys(files).filter((f) => !f.endsWith('.pth')).map((f) => f.split('/')[0]!.replace(/\.py$/, '')))];
}

/** RECORD's hash form: urlsafe base64 of the sha256, without padding. */
function recordHash(content: string): string {
  return createHash('sha256').update(content).digest('base64url');
}

/** Writes a virtualenv as `python -m venv` leaves it; its interpreters link to the root's (trapped) /usr/bin/python3. */
export async function writeVirtualenv(root: string, venv: LabVirtualenv): Promise<void> {
  const [major, minor] = venv.pythonVersion.split('.');
  const short = `python${major}.${minor}`;
  await writeRootFile(
    root,
    `${venv.path}/pyvenv.cfg`,
    `home = /usr/bin\ninclude-system-site-packages = false\nversion = ${venv.pythonVersion}\nexecutable = /usr/bin/${short}\ncommand = /usr/bin/python3 -m venv ${venv.path}\n`,
  );
  await relativeSymlink(root, `${venv.path}/bin/python3`, '/usr/bin/python3');
  await relativeSymlink(root, `${venv.path}/bin/python`, `${venv.path}/bin/python3`);
  await relativeSymlink(root, `${venv.path}/bin/${short}`, `${venv.path}/bin/python3`);
  await relativeSymlink(root, `${venv.path}/lib64`, `${venv.path}/lib`);
  // pip's console script runs the venv's python: starting it trips the trap too.
  const pip = `#!${venv.path}/bin/python3\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom pip._internal.cli.main import main\nif __name__ == "__main__":\n    sys.argv[0] = re.sub(r"(-script\\.pyw|\\.exe)?$", "", sys.argv[0])\n    sys.exit(main())\n`;
  for (const name of ['pip', 'pip3', `pip${major}.${minor}`]) await writeRootFile(root, `${venv.path}/bin/${name}`, pip, 0o755);
  await writeSitePackages(root, { path: `${venv.path}/lib/${short}/site-packages`, distributions: venv.distributions });
  for (const [relative, content] of Object.entries(venv.siteFiles ?? {})) {
    await writeRootFile(root, `${venv.path}/lib/${short}/site-packages/${relative}`, content);
  }
}

/** True when the path exists as anything (file, folder, dangling link). */
export async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}
