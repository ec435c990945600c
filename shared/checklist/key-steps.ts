/**
 * The steps for keys: an API key's rotate, replace and verify steps, a private SSH key's replace
 * step per host, the removal of a public key from an account's authorized_keys, and the rebuilding
 * of a ticked verify or removal step from its id once the findings no longer name its subject.
 * Owns the id formats of these steps.
 */
import type { StepProgress } from '../ipc/contract.js';
import { sameLocation, type LedgerAuthorizedKey, type LedgerSecret } from '../case/ledger-entries.js';
import { describeLocation } from '../present/describe-location.js';
import { shortFingerprint } from '../present/graph-model.js';
import type { HostInventory, ScanReport, SecretFinding, SecretLocation, SshLateralFinding } from '../model/index.js';
import { providerConsole } from '../domain/providers/provider-consoles.js';
import { describeKey } from './key-names.js';
import type { ChecklistStep } from './types.js';
import { homeOwner, joinAnd, lines, part, plural, shellQuote, unique } from './text.js';

const KEY_GONE = 'rotate:key-gone:';
const AUTHORIZED_KEY = 'rotate:authorized-key:';

/** True for a private SSH key, which gets per-host replace steps instead of a provider rotation. */
export function isSshKey(finding: Pick<SecretFinding, 'provider' | 'fingerprint'>): boolean {
  return finding.provider === 'ssh' || finding.fingerprint.startsWith('ssh:');
}

/** How a key is named in titles: its provider and a short fingerprint. */
const keyName = describeKey;

/** The id prefix of a key's replace step, so the plan's composer can find the places it lists. */
export const KEY_REPLACE = 'rotate:key-replace:';
/** How the line of a replace step that lists its places begins. */
const REPLACE_LINE = 'Replace it in each place listed with the step';

/** What the key steps read of a secret finding (a ledger entry gives the same). */
export type KeySubject = Pick<SecretFinding, 'id' | 'provider' | 'fingerprint' | 'locations' | 'host' | 'container'>;

/**
 * Three steps per API key, worked in order: rotate it at the provider (with the provider's key
 * page when the table knows it), put the new one in every place the old one was (the plan's
 * composer then sets aside the places another step deletes), then tick the last step and re-scan:
 * it is verified once a later scan reads every host it was on and finds the fingerprint nowhere.
 * Places and hosts earlier scans saw it at (`known`) count too. `since` is when the compromise
 * that exposed it began, as text. SSH keys get their own steps (sshKeySteps).
 */
export function keySteps(current: KeySubject, known: LedgerSecret | null = null, since = 'the start of the compromise window'): ChecklistStep[] {
  if (isSshKey(current)) return sshKeySteps(current);
  const earlier = (known?.locations ?? []).filter((location) => !current.locations.some((place) => sameLocation(place, location)));
  const finding = { ...current, locations: [...current.locations, ...earlier] };
  const fp = part(finding.fingerprint);
  const name = keyName(finding.provider, finding.fingerprint);
  const keyPage = providerConsole(finding.provider);
  const hosts = unique([...finding.locations.map((location) => location.host), ...(known?.hosts ?? []).map((host) => host.name)]);
  const common = { host: finding.host, container: finding.container, findingIds: [finding.id] };
  const fingerprint = finding.fingerprint;
  return [
    {
      id: `rotate:key-at-provider:${fp}`,
      phase: 'rotate',
      title: keyPage ? `Rotate the ${name} at ${keyPage.name}` : `Rotate the ${name} where it was issued`,
      detail: lines(
        `The key with fingerprint ${finding.fingerprint} was readable where compromised code ran; assume it was sent away.`,
        keyPage
          ? `On ${keyPage.name}'s key page, create a new key, then revoke the old one (match it by name, creation date or its last characters, ${finding.fingerprint.split(':').pop()}).${keyPage.hint ? ` Note: ${keyPage.hint}.` : ''}`
          : `It is a ${finding.provider} secret: issue a new one where it comes from (the gateway's admin page for a master or virtual key, the database for a password) and disable the old one.`,
        `Check the provider's usage and audit logs since ${since} for requests you did not make.`,
      ),
      ...common,
      verification: 'manual',
      ...(keyPage ? { link: { label: `${keyPage.name} keys`, url: keyPage.url } } : {}),
      key: { fingerprint, role: 'rotate' },
    },
    {
      id: `${KEY_REPLACE}${fp}`,
      phase: 'rotate',
      title: `Put the new key in every place the old ${name} was (${plural(finding.locations.length, 'place')})`,
      detail: lines(
        `${REPLACE_LINE} (${joinAnd(unique(finding.locations.map(describeLocation)))}), then restart what reads it (re-create a container: docker restart keeps the old environment).`,
        `Do not put the same new key everywhere again if you can avoid it: one key per service limits the next leak.`,
      ),
      ...common,
      verification: 'manual',
      locations: finding.locations,
      key: { fingerprint, role: 'replace' },
    },
    {
      id: `${KEY_GONE}${fp}`,
      phase: 'verify',
      title: `Verify the old ${name} is gone`,
      detail: lines(
        `Tick this once the old key is replaced everywhere, then re-scan ${joinAnd(hosts)}.`,
        `A scan made after the tick verifies it when it reads every one of these hosts and finds ${finding.fingerprint} nowhere; a host it cannot reach does not count as clean.`,
      ),
      ...common,
      verification: 'rescan',
      gone: { kind: 'secret', fingerprint: finding.fingerprint, hosts },
      key: { fingerprint, role: 'verify' },
    },
  ];
}

/**
 * A key's replace step with the places another step of the plan deletes set aside: `locations`
 * keeps the places that survive the plan, `removedLocations` the others, each named by the step
 * that deletes it (`label`, e.g. `Eradicate step 2 (Stop and remove container litellm on gw)`).
 */
export function withRemovedPlaces(step: ChecklistStep, removed: ReadonlyArray<{ location: SecretLocation; stepId: string; label: string }>): ChecklistStep {
  if (removed.length === 0 || !step.key) return step;
  const gone = new Set(removed.map((entry) => entry.location));
  const surviving = (step.locations ?? []).filter((location) => !gone.has(location));
  const name = keyName(step.key.fingerprint.split(':')[0] ?? '', step.key.fingerprint);
  const removedText = removed.map((entry) => `- ${describeLocation(entry.location)}: removed by ${entry.label}; do not put the new key here.`);
  const placesLine = lines(
    surviving.length > 0
      ? `Replace it in each place listed with the step (${joinAnd(unique(surviving.map(describeLocation)))}), then restart what reads it (re-create a container: docker restart keeps the old environment).`
      : `Every place the old key was is deleted by another step: give the new key only to what needs it now (a consumer moved to the provider's SDK gets a key of its own).`,
    ...removedText,
  );
  // Only the line that lists the places changes; what comes before it (a kept step's history) stays.
  const detail = step.detail
    .split('\n')
    .map((line) => (line.startsWith(REPLACE_LINE) ? placesLine : line))
    .join('\n');
  return {
    ...step,
    title:
      surviving.length > 0
        ? `Put the new key in every place the old ${name} stays (${plural(surviving.length, 'place')}; ${removed.length} removed by the plan)`
        : `Do not put the new key back where the old ${name} was (${plural(removed.length, 'place')}, all removed by the plan)`,
    detail,
    locations: surviving,
    removedLocations: removed.map(({ location, stepId }) => ({ location, stepId })),
  };
}

/** One "replace key X on host A" step per host a private SSH key was found on. */
function sshKeySteps(finding: KeySubject): ChecklistStep[] {
  const byHost = new Map<string, SecretLocation[]>();
  for (const location of finding.locations) byHost.set(location.host, [...(byHost.get(location.host) ?? []), location]);
  if (byHost.size === 0) byHost.set(finding.host, []);
  return [...byHost].map(([host, locations]) => replaceSshKeyStep(host, finding.fingerprint, finding.id, locations));
}

/** "Replace SSH key X on host A": a new key pair where the old private key lay. */
export function replaceSshKeyStep(host: string, fingerprint: string, findingId: string, locations: readonly SecretLocation[]): ChecklistStep {
  const paths = unique(locations.map((location) => location.path).filter((path): path is string => path !== undefined));
  const owners = unique(paths.map(homeOwner).filter((user): user is string => user !== null));
  return {
    id: `rotate:ssh-replace:${part(host)}:${part(fingerprint)}`,
    phase: 'rotate',
    title: `Replace SSH key ${shortFingerprint(fingerprint)} on ${host}`,
    detail: lines(
      `The private key ${fingerprint}${paths.length > 0 ? ` (${joinAnd(paths)})` : ''} was readable on ${host} where compromised code ran.`,
      `Make a new key pair${owners.length > 0 ? ` as ${joinAnd(owners)}` : ''} (ssh-keygen -t ed25519), install its public half wherever the old one was accepted, then delete the old private key and its .pub. The old public half must also leave every authorized_keys that lists it (its own steps, where the scan found one).`,
    ),
    host,
    container: null,
    findingIds: [findingId],
    verification: 'manual',
    ...(locations.length > 0 ? { locations: [...locations] } : {}),
    key: { fingerprint, role: 'replace' },
  };
}

/**
 * For each path a private SSH key opens to another host: replace the key where it lies, and take
 * its public half out of that account's authorized_keys, which a re-scan verifies.
 */
export function sshLateralSteps(findings: readonly SshLateralFinding[], report: Pick<ScanReport, 'hosts'>): ChecklistStep[] {
  const steps: ChecklistStep[] = [];
  for (const finding of findings) {
    steps.push(replaceSshKeyStep(finding.fromHost, finding.keyFingerprint, finding.id, []));
    const key = { fingerprint: finding.keyFingerprint, host: finding.toHost, user: finding.toUser, fromHosts: [finding.fromHost] };
    steps.push(authorizedKeyStep(key, [finding.id], report.hosts));
  }
  return steps;
}

/** Take a public key out of one account's authorized_keys; a re-scan verifies it. */
export function authorizedKeyStep(
  key: Pick<LedgerAuthorizedKey, 'fingerprint' | 'host' | 'user' | 'fromHosts'>,
  findingIds: string[],
  hosts: readonly HostInventory[],
): ChecklistStep {
  const bare = key.fingerprint.replace(/^ssh:/, '');
  const entries = (hosts.find((host) => host.name === key.host)?.authorizedKeys ?? []).filter(
    (entry) => entry.user === key.user && entry.fingerprint === bare,
  );
  const paths = unique(entries.map((entry) => entry.path));
  const comment = entries.find((entry) => entry.comment)?.comment;
  return {
    id: `${AUTHORIZED_KEY}${part(key.host)}:${part(key.user)}:${part(key.fingerprint)}`,
    // Containment: whoever holds the stolen private half can log in until this line is gone.
    phase: 'contain',
    title: `Remove SSH key ${shortFingerprint(key.fingerprint)} from ${key.user}'s authorized_keys on ${key.host}`,
    detail: lines(
      `Whoever holds the private half (found on ${joinAnd(key.fromHosts)}) logs into ${key.host} as ${key.user}.`,
      `In ${paths.length > 0 ? joinAnd(paths) : `${key.user}'s authorized_keys`}, delete the line whose fingerprint is ${bare}${comment ? ` (comment ${comment})` : ''}; ssh-keygen -lf on the file lists each line's fingerprint. Add the new key's public half if it still needs the access.`,
      `A re-scan verifies it: tick the step, re-scan ${key.host}, and it is confirmed once ${key.user}'s authorized_keys no longer lists the key.`,
    ),
    host: key.host,
    container: null,
    findingIds,
    verification: 'rescan',
    gone: { kind: 'authorized-key', fingerprint: key.fingerprint, host: key.host, user: key.user },
    ...(paths.length > 0 ? { command: `ssh-keygen -lf ${shellQuote(paths[0]!)}` } : {}),
  };
}

/**
 * A ticked gone step whose subject the current findings no longer mention, rebuilt from its id
 * and the hosts kept with its tick, so the scan can show it verified (or not, when a host it was
 * on was not read). Null for any other step or one never ticked.
 */
export function retainedGoneStep(stepId: string, progress: StepProgress | null): ChecklistStep | null {
  if (!progress?.done) return null;
  const decode = (value: string): string | null => {
    try {
      return decodeURIComponent(value);
    } catch {
      return null;
    }
  };
  if (stepId.startsWith(KEY_GONE)) {
    const fingerprint = decode(stepId.slice(KEY_GONE.length));
    if (!fingerprint || !progress.watchedHosts?.length) return null;
    const provider = fingerprint.split(':')[0] ?? 'unknown';
    return {
      id: stepId,
      phase: 'verify',
      title: `Verify the old ${keyName(provider, fingerprint)} is gone`,
      detail: `The latest findings no longer name ${fingerprint}. It was on ${joinAnd(progress.watchedHosts)} when this step was ticked; it counts as gone once a scan after the tick reads each of them.`,
      host: progress.watchedHosts[0]!,
      container: null,
      findingIds: [],
      verification: 'rescan',
      gone: { kind: 'secret', fingerprint, hosts: [...progress.watchedHosts] },
      key: { fingerprint, role: 'verify' },
    };
  }
  if (stepId.startsWith(AUTHORIZED_KEY)) {
    const fields = stepId.slice(AUTHORIZED_KEY.length).split(':').map(decode);
    const [host, user, fingerprint] = fields;
    if (fields.length !== 3 || !host || !user || !fingerprint) return null;
    return {
      id: stepId,
      phase: 'contain',
      title: `Remove SSH key ${shortFingerprint(fingerprint)} from ${user}'s authorized_keys on ${host}`,
      detail: `The latest findings no longer name this path. It counts as removed once a scan after the tick reads ${host}'s authorized_keys and ${user}'s no longer lists ${fingerprint}.`,
      host,
      container: null,
      findingIds: [],
      verification: 'rescan',
      gone: { kind: 'authorized-key', fingerprint, host, user },
    };
  }
  return null;
}
