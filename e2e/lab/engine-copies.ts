/**
 * The real-engine lab's copies of one release that only a comparison by content tells apart
 * (`startEngineLab({ copies: true })`, used by e2e/container-copies.test.ts): three installs of
 * litellm 1.82.8 whose RECORDs all agree with their files, so RECORD verification passes each.
 *
 * - `llm-router` (running, read through its /proc/PID/root): the wheel the attacker built, whose
 *   own RECORD lists a stager `litellm_init.pth` with a matching hash.
 * - `eval-worker` (stopped, read from its overlay layers): its image holds the clean copy; its one
 *   run reinstalled the package at start-up, as many homelab entrypoints do (`pip install -U`),
 *   leaving a `proxy_server.py` variant and the RECORD that vouches for it in its upper layer, and
 *   no `.pth`: the 1.82.7 form.
 * - the clean copy on the `ollama` host, the majority the others are judged against.
 *
 * The stand-ins are harmless text; no interpreter exists in the lab to run them.
 */
import { readFile } from 'node:fs/promises';
import type { ImageSpec } from './engines.js';
import { LITELLM_1_82_8_CLEAN, LITELLM_1_82_8_PROXY_VARIANT, LITELLM_1_82_8_PTH_IN_RECORD, type LabSitePackages } from './lab-hosts.js';
import { inRoot, writeSitePackages } from './rootfs.js';

/** Where the copies sit inside their images. */
export const COPIES_CONTAINER_SITE = '/usr/local/lib/python3.11/site-packages';

/** The clean copy, written on the `ollama` host. */
export const COPIES_CLEAN_SITE: LabSitePackages = { path: '/usr/local/lib/python3.11/dist-packages', distributions: [LITELLM_1_82_8_CLEAN] };

const ROUTER_IMAGE = 'registry.lab.example/llm-router:2.1';
const WORKER_IMAGE = 'registry.lab.example/eval-worker:0.9';
/** Where eval-worker's image keeps the files its start-up reinstall writes over the clean copy. */
const STAGE = '/opt/eval-worker/reinstall';
const DIST_INFO = 'litellm-1.82.8.dist-info';

/**
 * The two images: the router's with the stager wheel installed, the worker's with the clean copy
 * plus the variant's `proxy_server.py` and RECORD staged for its entrypoint to copy in. `stageDir`
 * is a scratch folder where the variant is installed once to take those two files from.
 */
export async function copiesImages(stageDir: string): Promise<ImageSpec[]> {
  await writeSitePackages(stageDir, { path: COPIES_CONTAINER_SITE, distributions: [LITELLM_1_82_8_PROXY_VARIANT] });
  const staged = async (relative: string) => readFile(inRoot(stageDir, `${COPIES_CONTAINER_SITE}/${relative}`), 'utf8');
  return [
    { tag: ROUTER_IMAGE, sitePackages: [{ path: COPIES_CONTAINER_SITE, distributions: [LITELLM_1_82_8_PTH_IN_RECORD] }] },
    {
      tag: WORKER_IMAGE,
      sitePackages: [{ path: COPIES_CONTAINER_SITE, distributions: [LITELLM_1_82_8_CLEAN] }],
      files: {
        [`${STAGE}/proxy_server.py`]: { content: await staged('litellm/proxy/proxy_server.py') },
        [`${STAGE}/RECORD`]: { content: await staged(`${DIST_INFO}/RECORD`) },
      },
    },
  ];
}

/** The two containers: the router idles; the worker runs its reinstall once and exits. */
export const COPIES_CONTAINER_RUNS: { name: string; args: string[]; command: string[]; detach?: boolean }[] = [
  {
    name: 'llm-router',
    args: ['--network', 'none', ROUTER_IMAGE],
    command: ['sh', '-c', "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done"],
  },
  {
    name: 'eval-worker',
    args: ['--network', 'none', WORKER_IMAGE],
    command: [
      '/bin/busybox',
      'sh',
      '-c',
      `cp ${STAGE}/proxy_server.py ${COPIES_CONTAINER_SITE}/litellm/proxy/proxy_server.py && cp ${STAGE}/RECORD ${COPIES_CONTAINER_SITE}/${DIST_INFO}/RECORD`,
    ],
    detach: false,
  },
];
