/**
 * The clean-up steps for what the payload left behind: IOC units and files on a host or in a
 * container, and compromised wheels or sdists in a pip or uv cache.
 */
import type { CachedCompromisedArtifactFinding, IocFinding } from '../model/index.js';
import type { ChecklistStep } from './types.js';
import { homeOwner, joinAnd, lines, part, shellQuote, unique } from './text.js';

/**
 * One clean-up step per IOC unit (its file and enablement links together) and per IOC file found
 * on a host or in a container. Only file and systemd-unit hits leave something to delete; a
 * string in a log or history is evidence to keep, not to remove. The product never runs the
 * command: it is advice, and a re-scan that no longer finds the hit confirms the step.
 */
export function iocCleanupSteps(findings: readonly IocFinding[]): ChecklistStep[] {
  const groups = new Map<string, { unit: string | null; findings: IocFinding[] }>();
  for (const finding of findings) {
    if (finding.path === undefined) continue;
    const isUnit = finding.ruleKind === 'systemd-unit' && finding.unit !== undefined;
    if (!isUnit && finding.ruleKind !== 'file') continue;
    const place = finding.container === null ? 'host' : `container=${part(finding.container)}`;
    const id = isUnit
      ? `clean-up:ioc-unit:${part(finding.host)}:${place}:${part(finding.unit!)}:${part(unitScope(finding.path))}`
      : `clean-up:ioc-file:${part(finding.host)}:${place}:${part(finding.path)}`;
    const group = groups.get(id) ?? { unit: isUnit ? finding.unit! : null, findings: [] };
    group.findings.push(finding);
    groups.set(id, group);
  }
  const steps = [...groups].map(([id, group]) => (group.unit === null ? iocFileStep(id, group.findings) : iocUnitStep(id, group.unit, group.findings)));
  const units = steps.filter((step) => step.id.startsWith('clean-up:ioc-unit:'));
  const samePlace = (a: ChecklistStep, b: ChecklistStep): boolean => a.host === b.host && a.container === b.container;
  // Units first: a file a unit starts comes back until the unit is gone, so a file waits for the units of its place.
  const files = steps
    .filter((step) => step.id.startsWith('clean-up:ioc-file:'))
    .map((step) => {
      const before = units.filter((unit) => samePlace(unit, step)).map((unit) => unit.id);
      return before.length > 0 ? { ...step, blockedBy: before, blockedReason: 'A file a unit starts comes back until the unit is gone.' } : step;
    });
  return [...units, ...files];
}

/** A compromised wheel or sdist left in a pip or uv cache: purged so no later install reuses it. */
export function purgeCacheStep(finding: CachedCompromisedArtifactFinding): ChecklistStep {
  return {
    id: `clean-up:purge-cache:${part(finding.host)}:${part(finding.path)}`,
    phase: 'eradicate',
    title: `Purge ${finding.package} ${finding.version} from the cache on ${finding.host}`,
    detail: lines(
      `${finding.path} holds ${finding.package} ${finding.version}, which the advisories name. pip or uv would install it again from the cache, without asking the index, the next time something requires that version.`,
      'Delete the file (or run `pip cache remove` / `uv cache clean` for the package, from an interpreter that does not load a compromised site folder).',
      'Blast Radius never runs this command; a re-scan that no longer finds the file confirms the step.',
    ),
    host: finding.host,
    container: finding.container,
    findingIds: [finding.id],
    verification: 'rescan',
    command: `rm -rf -- ${shellQuote(finding.path)}`,
  };
}

/** `system`, `global-user` (/etc/systemd/user and friends) or the user whose home holds the unit. */
function unitScope(path: string): string {
  const user = homeOwner(path);
  if (user) return user;
  return /^\/(etc|usr\/lib|usr\/local\/lib|lib)\/systemd\/user\//.test(path) ? 'global-user' : 'system';
}

/** Disable and delete an IOC unit with its enablement links, its file copied aside first. */
function iocUnitStep(id: string, unit: string, findings: readonly IocFinding[]): ChecklistStep {
  const first = findings[0]!;
  const { host, container } = first;
  const found = unique(findings.map((finding) => finding.path!));
  // Enablement links go with `disable`; copying them as evidence would overwrite the unit's copy (same name).
  const isLink = (path: string): boolean => /\.(wants|requires)\//.test(path);
  const unitFiles = found.filter((path) => !isLink(path));
  const paths = [...unitFiles, ...found.filter(isLink)];
  const scope = unitScope(first.path!);
  const where = container === null ? `on ${host}` : `in container ${container} on ${host}`;
  const files = paths.map(shellQuote).join(' ');
  const evidence = unitFiles.map(shellQuote).join(' ');
  let command: string | undefined;
  let how: string;
  if (container !== null) {
    how = `It sits inside container ${container}: deleting it there leaves the image or volume that put it there. Tear the container down and rebuild it from a clean image; then a re-scan confirms it is gone.`;
  } else if (scope === 'system' || scope === 'global-user') {
    const systemctl = scope === 'system' ? 'sudo systemctl' : 'sudo systemctl --global';
    command = [
      ...(evidence ? [`sudo mkdir -p /root/incident-evidence && sudo cp -a -- ${evidence} /root/incident-evidence/`] : []),
      `${systemctl} disable${scope === 'system' ? ' --now' : ''} ${shellQuote(unit)}`,
      `sudo rm -f -- ${files}`,
      'sudo systemctl daemon-reload',
    ].join('; ');
    how = scope === 'system'
      ? `Run the command as an administrator on ${host}: it copies the unit aside as evidence, stops and disables it, deletes it and reloads systemd.`
      : `It is a user unit installed for every user: the command disables it globally and deletes it; then, as each user who was logged in, run systemctl --user stop ${shellQuote(unit)}.`;
  } else {
    command = [
      ...(evidence ? [`mkdir -p ~/incident-evidence && cp -a -- ${evidence} ~/incident-evidence/`] : []),
      `systemctl --user disable --now ${shellQuote(unit)}`,
      `rm -f -- ${files}`,
      'systemctl --user daemon-reload',
    ].join('; ');
    how = `Run the command as ${scope} on ${host} (systemctl --user and the evidence folder are theirs; over SSH without a running user session, log in as ${scope} or use machinectl shell ${scope}@). It copies the unit aside, stops and disables it, deletes it and reloads systemd.`;
  }
  return {
    id,
    phase: 'eradicate',
    title: container === null ? `Remove ${unit} on ${host}` : `Remove ${unit} in container ${container} on ${host}`,
    detail: lines(
      `${first.title}: found ${where} at ${joinAnd(paths)}. It keeps the payload running after the package is gone.`,
      how,
      `Source: ${first.source}. Blast Radius never runs this command; a re-scan that no longer finds the unit confirms the step.`,
    ),
    host,
    container,
    findingIds: findings.map((finding) => finding.id),
    verification: 'rescan',
    ...(command ? { command } : {}),
    eradicates: { host, container },
  };
}

/** Delete an IOC file, copied aside first; in a container, rebuild it instead. */
function iocFileStep(id: string, findings: readonly IocFinding[]): ChecklistStep {
  const first = findings[0]!;
  const { host, container } = first;
  const path = first.path!;
  const user = homeOwner(path);
  return {
    id,
    phase: 'eradicate',
    title: container === null ? `Remove ${path} on ${host}` : `Remove ${path} in container ${container} on ${host}`,
    detail: lines(
      `${first.title}. Source: ${first.source}.`,
      container === null
        ? `Copy it aside as evidence, then delete it${user ? ` (as ${user}, or as root)` : ''}. If a unit or cron job starts it, remove that first (its own step), or it comes back.`
        : `It sits inside container ${container}: deleting it there leaves the image or volume that put it there. Tear the container down and rebuild it from a clean image.`,
      `Blast Radius never runs this command; a re-scan that no longer finds the file confirms the step.`,
    ),
    host,
    container,
    findingIds: findings.map((finding) => finding.id),
    verification: 'rescan',
    ...(container === null ? { command: `mkdir -p ~/incident-evidence && cp -a -- ${shellQuote(path)} ~/incident-evidence/ && rm -f -- ${shellQuote(path)}` } : {}),
    eradicates: { host, container },
  };
}
