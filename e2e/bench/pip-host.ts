/**
 * The one host where the benchmark lets pip run: an sshd on this machine WITHOUT a chroot, so this
 * machine's own python3 and pip answer `ssh HOST pip list`. It reads a throw-away
 * site folder of generated metadata in a temp folder, never a lab root: lab hosts are booby-trapped
 * because starting Python on a suspect host runs its `.pth` files. The product's collector reads
 * the same folder on the same host, so the two inventories are measured on identical input.
 *
 * The login is the lab's user (shell /bin/sh, no dotfiles) rather than root: root's ~/.bashrc on
 * a developer machine (pyenv init, for one) runs before every ssh command and would be timed on
 * both sides, and would swap the system pip for a shim.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sshConfigBlock, type Lab } from '../lab/lab.js';
import { LAB_USER, type LabDistribution } from '../lab/lab-hosts.js';
import { writeSitePackages } from '../lab/rootfs.js';
import { startSshd, type SshdHandle } from '../lab/sshd.js';

/** The ssh_config alias of the pip host. */
export const PIP_HOST = 'bench-python';
/** Site folder inside the pip host's temp root, where both the collector and pip look. */
export const PIP_SITE = '/usr/local/lib/python3.11/site-packages';
/** Last octet of the pip host in the lab's address block (far from the generated hosts' .2, .3, …). */
const PIP_HOST_OCTET = 254;

/** A running pip host. */
export interface PipHost {
  /** ssh_config with the single Host entry `bench-python` (the lab's client key, strict host key checking). */
  sshConfigPath: string;
  /** The temp folder the collector reads as its ROOT prefix (readable by LAB_USER). */
  root: string;
  /** The site folder's real path (root + PIP_SITE), what `pip list --path` is given. */
  sitePath: string;
  sshd: SshdHandle;
}

/**
 * Writes `distributions` into `<root>/usr/local/lib/python3.11/site-packages` and starts the pip
 * host in the lab's address block; every folder above `root` must be searchable by LAB_USER.
 * Its state folder sits in the lab's run folder, so lab.stop()
 * (and the next startLab's sweep, after a crash) kills this sshd too.
 */
export async function startPipHost(lab: Lab, root: string, configDir: string, distributions: LabDistribution[]): Promise<PipHost> {
  await writeSitePackages(root, { path: PIP_SITE, distributions });
  const anyHost = Object.values(lab.hosts).find((host) => host.root !== null);
  if (!anyHost) throw new Error('the lab has no running host to take an address block from');
  const address = anyHost.address.replace(/\.\d+$/, `.${PIP_HOST_OCTET}`);
  const sshd = await startSshd({
    address,
    user: LAB_USER,
    authorizedKeys: [await readFile(`${lab.identityFile}.pub`, 'utf8')],
    // Fixed, so pip is the system's (/usr/bin/pip on Debian) whatever PATH this process was started with.
    setEnv: { PATH: '/usr/local/bin:/usr/bin:/bin' },
    stateDir: path.join(lab.runDir, 'sshd', PIP_HOST),
  });
  const knownHostsPath = path.join(configDir, 'known_hosts');
  await writeFile(knownHostsPath, `${sshd.knownHostsLine}\n`, { mode: 0o644 });
  const sshConfigPath = path.join(configDir, 'ssh_config');
  await writeFile(
    sshConfigPath,
    `${sshConfigBlock({ name: PIP_HOST, address, port: sshd.port, user: LAB_USER }, lab.identityFile, knownHostsPath)}\n`,
    { mode: 0o644 },
  );
  return { sshConfigPath, root, sitePath: path.join(root, PIP_SITE), sshd };
}
