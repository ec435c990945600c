/**
 * The hardening posture of each host virtualenv and each container's image, from files the key
 * search already read (pip.conf, uv.toml, pyproject.toml, requirements files and lockfiles beside
 * the project, units, crontabs, shell profiles, container environments) and the image history the
 * container collector parsed. Nothing is run: which index pip or uv would use is worked out the way
 * each documents its precedence. Pure; URLs leave it with credentials masked and fingerprinted.
 */
import { posix } from 'node:path';
import type { BuildInstallStep, HardeningPosture, PackageIndexSetting, PinFile, PythonEnvironment, UnattendedUpgrade } from '../../../shared/model/index.js';
import type { EnvironmentArtifact, TextArtifact } from '../artifacts.js';
import { parseDotenv, parseShellAssignments, parseSystemdEnvironment, type EnvAssignment } from '../env-assignments.js';
import { defaultIndex, indexSetting } from './index-url.js';
import { pipEnvironmentSettings, readPipConfig, type IndexSettings } from './pip-config.js';
import { pinFileKind, readPinFile, requirementsIndexSettings } from './pin-files.js';
import { cronUpgrades, unitUpgrades } from './upgrades.js';
import { readUvConfig, uvEnvironmentSettings } from './uv-config.js';

/** What the posture needs of a container: its image, working folder and image-history install steps. */
export interface HardeningContainer {
  name: string;
  image: string;
  workingDir: string | null;
  buildInstalls?: readonly BuildInstallStep[];
}

/** Everything the posture is read from. Files may hold secrets: main process only. */
export interface HardeningInput {
  files: readonly TextArtifact[];
  environments: readonly EnvironmentArtifact[];
  pythonEnvironments: readonly PythonEnvironment[];
  containers: readonly HardeningContainer[];
}

/** The files the host search reads for the posture of a virtualenv: its site pip.conf, and its project folder's pin and config files. */
export const PROJECT_FILE_NAMES = ['uv.lock', 'poetry.lock', 'pylock.toml', 'Pipfile.lock', 'pyproject.toml', 'uv.toml', 'requirements.txt'] as const;

/** pip's global configuration files, lowest precedence last (pip's docs, "Configuration": site > user > global). */
export const GLOBAL_PIP_CONFIGS = ['/etc/pip.conf', '/etc/xdg/pip/pip.conf'];
/** pip's per-user files below a home: the XDG one, then the legacy one. */
export const USER_PIP_CONFIGS = ['.config/pip/pip.conf', '.pip/pip.conf'];
/** uv's system configuration files (uv's docs, "Configuration files"). */
export const GLOBAL_UV_CONFIGS = ['/etc/uv/uv.toml', '/etc/xdg/uv/uv.toml'];
/** uv's per-user file below a home. */
export const USER_UV_CONFIGS = ['.config/uv/uv.toml'];

/** Variables by name, and how to say where one was set. */
interface Environment {
  lookup: (name: string) => string | undefined;
  where: (name: string) => string;
}

/** One place settings come from, most binding first; `settings` may leave a role unset. */
interface Layer {
  settings: IndexSettings;
  /** `index-url in /etc/pip.conf`: how a setting from this layer is described (the key is filled in). */
  source: (key: string) => string;
}

/** The postures of a host's virtualenvs and containers, and one for host-wide unattended upgrades that name no environment. */
export function readHardening(input: HardeningInput): HardeningPosture[] {
  const files = new FileIndex(input.files);
  const postures: HardeningPosture[] = [];
  const upgrades = hostUpgrades(input.files);
  const claimed = new Set<UnattendedUpgrade>();
  for (const environment of input.pythonEnvironments) {
    if (environment.container !== null) continue;
    const root = virtualenvRoot(environment.path);
    if (root === null) continue;
    const posture = hostVirtualenvPosture(environment.path, root, files);
    for (const upgrade of upgrades) {
      if (namesEnvironment(upgrade.command, root, posture.project)) {
        posture.upgrades.push(upgrade);
        claimed.add(upgrade);
      }
    }
    postures.push(posture);
  }
  const unclaimed = upgrades.filter((upgrade) => !claimed.has(upgrade));
  if (unclaimed.length > 0) {
    postures.push({ container: null, environment: null, image: null, project: null, installer: 'pip', pinFiles: [], hashPinnedBuild: null, indexes: [], upgrades: unclaimed });
  }
  for (const container of input.containers) {
    const hasPython = input.pythonEnvironments.some((environment) => environment.container === container.name);
    if (!hasPython && (container.buildInstalls?.length ?? 0) === 0) continue;
    const variables = input.environments.find((environment) => environment.container === container.name)?.variables ?? [];
    postures.push(containerPosture(container, variables, files));
  }
  return postures;
}

/**
 * The folder of a virtualenv or conda env from its site-packages path (`<root>/lib/python3.X/site-packages`);
 * null for the system's and users' own site folders, which no project owns.
 */
export function virtualenvRoot(sitePackages: string): string | null {
  const match = /^(\/.+)\/lib(?:64)?\/python3[^/]*\/site-packages$/.exec(sitePackages);
  if (!match) return null;
  const root = match[1]!;
  if (root === '/usr' || root === '/usr/local' || root === '/opt/homebrew' || root.endsWith('/.local') || root.includes('/Library/')) return null;
  return root;
}

/** The folders whose files the host search reads for the host's virtualenvs: each venv's folder and its parent (the project). */
export function hardeningFolders(environments: readonly PythonEnvironment[]): { venvs: string[]; projects: string[] } {
  const venvs = new Set<string>();
  const projects = new Set<string>();
  for (const environment of environments) {
    if (environment.container !== null) continue;
    const root = virtualenvRoot(environment.path);
    if (root === null) continue;
    venvs.add(root);
    const project = projectOf(root);
    if (project) projects.add(project);
  }
  return { venvs: [...venvs], projects: [...projects] };
}

function projectOf(root: string): string | null {
  const parent = posix.dirname(root);
  return parent === '/' ? null : parent;
}

function hostVirtualenvPosture(sitePackages: string, root: string, files: FileIndex): HardeningPosture {
  const parent = projectOf(root);
  const home = homeOf(root);
  const units = files.of(null, 'systemd-unit').filter((unit) => unit.text.includes(`${root}/`) || (parent !== null && workingDirectoryOf(unit.text) === parent));
  // The folder a unit that runs the virtualenv works in is its project; else the folder the virtualenv sits in.
  const workingDirectories = units.filter((unit) => unit.text.includes(`${root}/`)).flatMap((unit) => workingDirectoryOf(unit.text) ?? []);
  const folders = [...new Set([...workingDirectories, ...(parent ? [parent] : [])])];
  const project = folders[0] ?? null;
  const projectFiles = folders.flatMap((folder) => files.inFolder(null, folder));
  const pinFiles = pinFilesOf(projectFiles);
  const environment = environmentLayers([
    ...units.flatMap((unit) => [
      { assignments: parseSystemdEnvironment(unit.text), path: unit.path },
      ...environmentFilesOf(unit.text).flatMap((path) => files.at(null, path, 'systemd-env-file').map((file) => ({ assignments: parseDotenv(file.text), path: file.path }))),
    ]),
    ...files.of(null, 'shell-rc').filter((file) => file.path.startsWith(`${home}/`)).map((file) => ({ assignments: parseShellAssignments(file.text), path: file.path })),
    ...files.of(null, 'shell-rc').filter((file) => file.path.startsWith('/etc/')).map((file) => ({ assignments: parseShellAssignments(file.text), path: file.path })),
  ]);
  const installer = usesUv(projectFiles) ? 'uv' : 'pip';
  const layers =
    installer === 'uv'
      ? [envLayer(uvEnvironmentSettings(environment.lookup), UV_VARIABLES, environment), ...uvProjectLayers(projectFiles), ...uvFileLayers(files, null, [...USER_UV_CONFIGS.map((name) => `${home}/${name}`), ...GLOBAL_UV_CONFIGS])]
      : [
          ...requirementsLayers(projectFiles),
          envLayer(pipEnvironmentSettings(environment.lookup), PIP_VARIABLES, environment),
          ...pipFileLayers(files, null, [`${root}/pip.conf`, ...USER_PIP_CONFIGS.map((name) => `${home}/${name}`), ...GLOBAL_PIP_CONFIGS]),
        ];
  return { container: null, environment: sitePackages, image: null, project, installer, pinFiles, hashPinnedBuild: null, indexes: resolveIndexes(layers), upgrades: [] };
}

function containerPosture(container: HardeningContainer, variables: readonly [string, string][], files: FileIndex): HardeningPosture {
  const workingDir = container.workingDir && container.workingDir !== '/' && container.workingDir.startsWith('/') ? posix.normalize(container.workingDir).replace(/\/$/, '') : null;
  const project = workingDir ?? (files.inFolder(container.name, '/app').length > 0 ? '/app' : null);
  const projectFiles = project ? files.inFolder(container.name, project) : [];
  const steps = container.buildInstalls ?? [];
  const installer = steps.some((step) => step.tool.startsWith('uv')) || usesUv(projectFiles) ? 'uv' : 'pip';
  const environment: Environment = {
    lookup: (name) => variables.find(([variable]) => variable === name)?.[1],
    where: (name) => `${name} in the container's environment`,
  };
  const history = historyLayer(steps);
  const layers =
    installer === 'uv'
      ? [...history, envLayer(uvEnvironmentSettings(environment.lookup), UV_VARIABLES, environment), ...uvProjectLayers(projectFiles), ...uvFileLayers(files, container.name, [...USER_UV_CONFIGS.map((name) => `/root/${name}`), ...GLOBAL_UV_CONFIGS])]
      : [...history, envLayer(pipEnvironmentSettings(environment.lookup), PIP_VARIABLES, environment), ...pipFileLayers(files, container.name, [...USER_PIP_CONFIGS.map((name) => `/root/${name}`), ...GLOBAL_PIP_CONFIGS])];
  return {
    container: container.name,
    environment: null,
    image: container.image,
    project,
    installer,
    pinFiles: pinFilesOf(projectFiles),
    hashPinnedBuild: steps.length > 0 ? steps.every((step) => step.hashPinned) : null,
    indexes: resolveIndexes(layers),
    upgrades: [],
  };
}

/** The index an image's install steps name on their command lines (the newest step that names one wins). */
function historyLayer(steps: readonly BuildInstallStep[]): Layer[] {
  const layers: Layer[] = [];
  for (const step of [...steps].reverse()) {
    const words = step.command.split(/\s+/);
    const settings: IndexSettings = {};
    const extras: string[] = [];
    words.forEach((word, index) => {
      const next = words[index + 1];
      const value = (flag: string): string | undefined => (word === flag ? next : word.startsWith(`${flag}=`) ? word.slice(flag.length + 1) : undefined);
      const primary = value('-i') ?? value('--index-url') ?? value('--default-index');
      if (primary) settings.primary = primary;
      const extra = value('--extra-index-url') ?? value('--index');
      if (extra) extras.push(extra);
    });
    if (extras.length > 0) settings.extras = extras;
    if (settings.primary || settings.extras) layers.push({ settings, source: (key) => `${key} in the image's install step "${step.command}"` });
  }
  return layers;
}

/** For each role, the most binding layer that sets it; public PyPI when no layer sets a primary index. */
function resolveIndexes(layers: readonly Layer[]): PackageIndexSetting[] {
  const primaryLayer = layers.find((layer) => layer.settings.primary);
  const extrasLayer = layers.find((layer) => layer.settings.extras && layer.settings.extras.length > 0);
  const indexes: PackageIndexSetting[] = [primaryLayer ? indexSetting(primaryLayer.settings.primary!, 'primary', primaryLayer.source('index-url')) : defaultIndex()];
  for (const url of extrasLayer?.settings.extras ?? []) indexes.push(indexSetting(url, 'extra', extrasLayer!.source('extra-index-url')));
  return indexes;
}

/** The variables each installer reads its indexes from, preferred name first. */
const PIP_VARIABLES = { primary: ['PIP_INDEX_URL'], extra: ['PIP_EXTRA_INDEX_URL'] };
const UV_VARIABLES = { primary: ['UV_DEFAULT_INDEX', 'UV_INDEX_URL'], extra: ['UV_INDEX', 'UV_EXTRA_INDEX_URL'] };

/** A layer of environment variables, described by the variable that set each role and where it was set. */
function envLayer(settings: IndexSettings, names: { primary: string[]; extra: string[] }, environment: Environment): Layer {
  return {
    settings,
    source: (key) => {
      const candidates = key === 'index-url' ? names.primary : names.extra;
      const name = candidates.find((candidate) => environment.lookup(candidate) !== undefined) ?? candidates[0]!;
      return environment.where(name);
    },
  };
}

function pipFileLayers(files: FileIndex, container: string | null, paths: readonly string[]): Layer[] {
  return paths.flatMap((path) => files.at(container, path, 'pip-config').map((file) => ({ settings: readPipConfig(file.text), source: (key: string) => `${key} in ${file.path}` })));
}

function uvFileLayers(files: FileIndex, container: string | null, paths: readonly string[]): Layer[] {
  return paths.flatMap((path) => files.at(container, path, 'uv-config').map((file) => ({ settings: readUvConfig(file.text, 'uv.toml'), source: (key: string) => `${key} in ${file.path}` })));
}

/** A project's uv.toml wins over its pyproject.toml's `[tool.uv]`. */
function uvProjectLayers(projectFiles: readonly TextArtifact[]): Layer[] {
  const byName = (name: string): TextArtifact | undefined => projectFiles.find((file) => posix.basename(file.path) === name);
  const layers: Layer[] = [];
  const uvToml = byName('uv.toml');
  if (uvToml) layers.push({ settings: readUvConfig(uvToml.text, 'uv.toml'), source: (key) => `${key} in ${uvToml.path}` });
  const pyproject = byName('pyproject.toml');
  if (pyproject) layers.push({ settings: readUvConfig(pyproject.text, 'pyproject.toml'), source: (key) => `[tool.uv] ${key} in ${pyproject.path}` });
  return layers;
}

/** The index options of the project's requirements files (pip reads them as it installs from them). */
function requirementsLayers(projectFiles: readonly TextArtifact[]): Layer[] {
  return projectFiles
    .filter((file) => pinFileKind(posix.basename(file.path)) === 'requirements')
    .map((file) => ({ settings: requirementsIndexSettings(file.text), source: (key: string) => `--${key} in ${file.path}` }));
}

function pinFilesOf(projectFiles: readonly TextArtifact[]): PinFile[] {
  return projectFiles.flatMap((file) => {
    const kind = pinFileKind(posix.basename(file.path));
    return kind ? [readPinFile(file.path, kind, file.text)] : [];
  });
}

function usesUv(projectFiles: readonly TextArtifact[]): boolean {
  return projectFiles.some((file) => {
    const name = posix.basename(file.path);
    return name === 'uv.lock' || name === 'uv.toml' || (name === 'pyproject.toml' && readUvConfig(file.text, 'pyproject.toml').usesUv);
  });
}

/** Variables from several files, most binding first: the first file that sets a name wins, and says where. */
function environmentLayers(sources: readonly { assignments: EnvAssignment[]; path: string }[]): Environment {
  const found = new Map<string, { value: string; path: string }>();
  for (const source of sources) {
    for (const { variable, value } of source.assignments) if (!found.has(variable)) found.set(variable, { value, path: source.path });
  }
  const lookup = (name: string): string | undefined => found.get(name)?.value;
  return { lookup, where: (name) => `${name} in ${found.get(name)?.path ?? 'the environment'}` };
}

/** The crontabs' and units' unattended upgrades on the host itself. */
function hostUpgrades(files: readonly TextArtifact[]): UnattendedUpgrade[] {
  return files.flatMap((file) => {
    if (file.container !== null) return [];
    if (file.kind === 'crontab' || file.kind === 'cron-script') return cronUpgrades(file.text, file.path);
    if (file.kind === 'systemd-unit') return unitUpgrades(file.text, file.path);
    return [];
  });
}

/** True when an upgrade's command names the virtualenv's folder, or a file of its project (a project at least two folders deep: /srv/app, not /srv). */
function namesEnvironment(command: string, root: string, project: string | null): boolean {
  if (command.includes(`${root}/`) || command.endsWith(root)) return true;
  return project !== null && project.split('/').length >= 3 && command.includes(`${project}/`);
}

function workingDirectoryOf(unitText: string): string | null {
  const match = /^\s*WorkingDirectory\s*=\s*-?(\/\S*)\s*$/m.exec(unitText);
  return match ? posix.normalize(match[1]!).replace(/(.)\/$/, '$1') : null;
}

function environmentFilesOf(unitText: string): string[] {
  return [...unitText.matchAll(/^\s*EnvironmentFile\s*=\s*-?(\/\S+)\s*$/gm)].map((match) => match[1]!);
}

/** The home whose user settings apply: the one the virtualenv sits in, else root's (system folders are usually root's to install into). */
function homeOf(root: string): string {
  const match = /^(\/home\/[^/]+|\/root)(\/|$)/.exec(root);
  return match ? match[1]! : '/root';
}

/** The files by place and path. */
class FileIndex {
  private readonly byPlace = new Map<string, TextArtifact[]>();

  constructor(files: readonly TextArtifact[]) {
    for (const file of files) {
      const key = file.container ?? '';
      const list = this.byPlace.get(key) ?? [];
      list.push(file);
      this.byPlace.set(key, list);
    }
  }

  of(container: string | null, kind: TextArtifact['kind']): TextArtifact[] {
    return (this.byPlace.get(container ?? '') ?? []).filter((file) => file.kind === kind);
  }

  at(container: string | null, path: string, kind: TextArtifact['kind']): TextArtifact[] {
    return this.of(container, kind).filter((file) => file.path === path);
  }

  /** The project files read at the top of a folder. */
  inFolder(container: string | null, folder: string): TextArtifact[] {
    return this.of(container, 'python-project').filter((file) => posix.dirname(file.path) === folder);
  }
}
