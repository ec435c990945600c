/**
 * Reads what the artifact scripts print: one `file` record per file read (its kind, then `path`,
 * `user`, `container`, `text` and `more` records), and the notes around them. Pure: the file
 * texts may hold secrets, so nothing here quotes a text into a problem or a note.
 */
import type { ArtifactKind } from '../readers/artifacts.js';
import { splitRecords } from './framing.js';

/** One file as the script framed it; `containerIndex` points into the container list the script was given. */
export interface ScannedFile {
  kind: ArtifactKind;
  path: string;
  user: string | null;
  containerIndex: number | null;
  text: string;
  truncated: boolean;
}

/** A /proc socket table the script could not read. */
export interface MissingProcFile {
  path: string;
  containerIndex: number | null;
}

/** A location (one kind of file in one folder) whose files passed its cap: the rest were counted, not read. */
export interface CappedLocation {
  /** `files`: the per-location file cap; `bytes`: the per-location byte cap. */
  reason: 'files' | 'bytes';
  /** The kind of file the location holds (an artifact kind, as the script named it). */
  kind: string;
  /** The folder, as seen on the host or in the container. */
  where: string;
  /** Files read (or, for SSH keys, examined) before the cap. */
  read: number;
  /** Files found there, read or not. */
  seen: number;
}

/** Everything one artifact script printed. */
export interface ArtifactScan {
  files: ScannedFile[];
  /** The `end` record was seen: the script ran to its last line. */
  completed: boolean;
  /** ROOT was given and is not a readable folder. */
  rootMissing: boolean;
  /** Utilities the script needs and the host or image lacks. */
  missingTools: string[];
  /** Files (and homes) that exist but this user cannot read. */
  unreadable: string[];
  /** Paths not followed: an absolute symlink under ROOT would resolve outside it. */
  skippedLinks: string[];
  missingProc: MissingProcFile[];
  /** The file-count cap was reached; later files were not read. */
  fileLimit: boolean;
  /** The total-bytes cap was reached; later files were not read. */
  byteLimit: boolean;
  /** Locations whose cap was reached. */
  capped: CappedLocation[];
}

const KINDS: ReadonlySet<string> = new Set<ArtifactKind>([
  'dotenv', 'compose', 'systemd-unit', 'systemd-env-file', 'shell-rc', 'litellm-config', 'app-config', 'docker-config',
  'aws-credentials', 'aws-sso-cache', 'gcloud-credentials', 'azure-credentials', 'kubernetes-token', 'git-credentials', 'kubeconfig', 'ssh-private-key', 'ssh-public-key', 'authorized-keys', 'crontab',
  'script', 'caddyfile', 'nginx-conf', 'proc-net-tcp', 'proc-net-tcp6', 'proc-fib-trie', 'proc-if-inet6',
  'pip-config', 'uv-config', 'python-project', 'cron-script',
]);

/** True for a kind the readers know. */
export function isArtifactKind(value: string): value is ArtifactKind {
  return KINDS.has(value);
}

/** Parses an artifact script's output. Record bodies are kept exact (a path may end in spaces or hold newlines). */
export function parseArtifactScan(output: string, boundary: string): ArtifactScan {
  const scan: ArtifactScan = {
    files: [],
    completed: false,
    rootMissing: false,
    missingTools: [],
    unreadable: [],
    skippedLinks: [],
    missingProc: [],
    fileLimit: false,
    byteLimit: false,
    capped: [],
  };
  // A file record starts a file; the records after it fill it in until the next one.
  let current: ScannedFile | null = null;
  for (const { tag, body } of splitRecords(output, boundary)) {
    switch (tag) {
      case 'file':
        current = null;
        if (isArtifactKind(body)) {
          current = { kind: body, path: '', user: null, containerIndex: null, text: '', truncated: false };
          scan.files.push(current);
        }
        break;
      case 'path':
        if (current) current.path = body;
        break;
      case 'user':
        if (current) current.user = body === '' ? null : body;
        break;
      case 'container':
        if (current) current.containerIndex = indexOf(body);
        break;
      case 'text':
        if (current) current.text = body;
        break;
      case 'more':
        if (current) current.truncated = true;
        break;
      case 'proc-missing': {
        const colon = body.indexOf(':');
        scan.missingProc.push({ containerIndex: indexOf(body.slice(0, colon)), path: body.slice(colon + 1) });
        break;
      }
      case 'unreadable':
        if (!scan.unreadable.includes(body)) scan.unreadable.push(body);
        break;
      case 'skipped-link':
        if (!scan.skippedLinks.includes(body)) scan.skippedLinks.push(body);
        break;
      case 'missing-tool':
        if (!scan.missingTools.includes(body.trim())) scan.missingTools.push(body.trim());
        break;
      case 'limit-files':
        scan.fileLimit = true;
        break;
      case 'limit-bytes':
        scan.byteLimit = true;
        break;
      case 'capped': {
        const location = cappedLocation(body);
        if (location) scan.capped.push(location);
        break;
      }
      case 'root-missing':
        scan.rootMissing = true;
        break;
      case 'end':
        scan.completed = true;
        break;
      default:
        break;
    }
  }
  // A file whose path never arrived (output cut mid-record) is not a file.
  scan.files = scan.files.filter((file) => file.path !== '');
  // Output cut short (size limit, a killed script) may have cut the last file's text too.
  const last = scan.files.at(-1);
  if (!scan.completed && last) last.truncated = true;
  return scan;
}

/** `REASON\nKIND\nWHERE\nREAD\nSEEN` (WHERE may itself hold newlines), or null when malformed. */
function cappedLocation(body: string): CappedLocation | null {
  const lines = body.split('\n');
  if (lines.length < 5) return null;
  const [reason, kind] = lines;
  const [read, seen] = lines.slice(-2).map((text) => (/^\d{1,12}$/.test(text) ? Number(text) : NaN));
  if ((reason !== 'files' && reason !== 'bytes') || !kind || !Number.isFinite(read) || !Number.isFinite(seen)) return null;
  return { reason, kind, where: lines.slice(2, -2).join('\n'), read: read!, seen: seen! };
}

function indexOf(text: string): number | null {
  return /^\d{1,6}$/.test(text) ? Number(text) : null;
}
