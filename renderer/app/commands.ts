/**
 * What the UI can ask the backend to do. Each command calls the API and tells the store what
 * happened as events; failures become errors in the banner, never unhandled rejections.
 */
import type { ComponentDecisionKind } from '../../shared/case/index.js';
import type { TrustLevel } from '../../shared/model/index.js';
import type { BlastRadiusApi, CaseLibraryState, HostEntry, RequestOf, WindowRange } from '../../shared/ipc/index.js';
import type { ExportFormat, ReportExport } from '../../shared/report-formats/index.js';
import { downloadExport } from './save-file.js';
import type { AppState } from '../store/app-state.js';
import { errorMessage } from './error-message.js';
import { loadOpenCase } from './start-app.js';

/** The store as commands need it: read state, send events. */
export interface StoreHandle {
  getState(): AppState;
}

/** The UI's commands. */
export interface Commands {
  /** Starts a scan of the ticked hosts. */
  startScan(): Promise<void>;
  /** Scans one host again; the case keeps every other host's results. */
  rescanHost(name: string): Promise<void>;
  /** Scans some hosts again (a step's or a graph node's); the case keeps every other host's results. */
  rescanHosts(names: readonly string[]): Promise<void>;
  /** Removes a host's results from the case; the report without it comes back as a push. */
  removeHostFromCase(name: string): Promise<void>;
  /**
   * Imports offline collection files at `paths` (on the machine the main process runs on) into the
   * open case as a scan of their hosts, named `host` when given (one file only); false when refused.
   */
  importCollections(paths: readonly string[], host: string | null): Promise<boolean>;
  /** Cancels the running scan. */
  cancelScan(): Promise<void>;
  /** Gives up on one host of the running scan; the others go on. */
  giveUpHost(host: string): Promise<void>;
  /** Adds a host by hand; resolves to the new host, or null when the backend refused it. */
  addHost(request: RequestOf<'hosts:add'>): Promise<HostEntry | null>;
  /**
   * Records a step's tick and note, and optionally the option picked on it or the hosts a gone
   * step watches; the store updates from the backend's answer.
   */
  setStep(stepId: string, done: boolean, note: string, extra?: { choice?: string; watchedHosts?: string[] }): Promise<void>;
  /** Sets a compromise window (ISO instants) or resets it with null; the report comes back judged again as a push. */
  setWindow(windowId: string, range: WindowRange | null): Promise<void>;
  /** Records remove or patch, with its reason, for an AI component (null clears it); the plan follows it. */
  setDecision(componentId: string, decision: ComponentDecisionKind | null, reason: string): Promise<void>;
  /** Records a register row's trust level (null: unset) and notes; the case keeps them and every export carries them. */
  annotateRegister(rowId: string, trust: TrustLevel | null, note: string): Promise<void>;
  /** Loads a suppression file's text into the case, or drops the case's suppressions with null. */
  setSuppressions(fileName: string, text: string | null): Promise<void>;
  /** Asks the main process to check, once, whether the key's provider still accepts it (the owner confirmed first). */
  checkRevoked(fingerprint: string): Promise<void>;
  /** Sends a known-good wheel, sdist or manifest the owner picked to the main process, which reads it and judges the report again. */
  importKnownGood(file: Pick<File, 'name' | 'arrayBuffer'>): Promise<void>;
  /** Forgets an imported known-good artifact; the report is judged again without it. */
  removeKnownGood(id: string): Promise<void>;
  /** Loads OSV advisories from a folder tree or an all.zip at `path` (on the machine the main process runs on) into the case; false when refused. */
  loadAdvisories(path: string): Promise<boolean>;
  /** Forgets the advisories loaded from `path`. */
  removeAdvisories(path: string): Promise<void>;
  /** Renders the case's report in `format` (in the main process) and offers it as a download. */
  exportReport(format: ExportFormat): Promise<void>;
  /** Makes a case named `name` and opens it; resolves to false when the backend refused (the name is taken…). */
  createCase(name: string): Promise<boolean>;
  /** Renames a case; resolves to false when the backend refused. */
  renameCase(caseId: string, name: string): Promise<boolean>;
  /** Opens another case and loads it: its report, plan, windows, decisions and hosts replace the previous case's. */
  openCase(caseId: string): Promise<void>;
  /** Closes the open case: none is open until another is. */
  closeCase(): Promise<void>;
  /** Archives a case (closing it when it is open) or brings it back. */
  archiveCase(caseId: string, archived: boolean): Promise<void>;
  /** Reads the open case's journal into the store. */
  loadJournal(): Promise<void>;
  /** Answers a host-key prompt. */
  answerHostKey(promptId: string, accept: boolean): Promise<void>;
  /** Answers a passphrase prompt; null skips the key. The passphrase is passed straight through. */
  answerPassphrase(promptId: string, passphrase: string | null): Promise<void>;
}

/** Builds the commands over an API and a store. */
export function createCommands(api: BlastRadiusApi, store: StoreHandle, save: (file: ReportExport) => void = downloadExport): Commands {
  const state = () => store.getState();
  const fail = (action: string) => (error: unknown) => state().errorRaised(errorMessage(error, action));

  const scan = async (hosts: readonly string[]) => {
    if (hosts.length === 0 || state().scan.running) return;
    state().scanRequested([...hosts]);
    try {
      const { scanId } = await api.startScan({ hosts: [...hosts] });
      state().scanStarted(scanId);
    } catch (error) {
      const message = errorMessage(error);
      state().scanRejected(message);
      state().errorRaised(`Scan could not start: ${message}`);
    }
  };

  /** Changes the open case through `change`, then drops the previous case's state and loads the new one's. */
  const switchCase = async (change: () => Promise<{ library: CaseLibraryState }>, action: string): Promise<boolean> => {
    state().caseSwitchRequested();
    let library: CaseLibraryState;
    try {
      ({ library } = await change());
    } catch (error) {
      state().caseSwitchFailed();
      state().errorRaised(errorMessage(error, action));
      return false;
    }
    state().caseSwitched(library);
    await loadOpenCase(api, store);
    return true;
  };
  const loadJournal = async () => {
    await api.getJournal().then((view) => state().journalLoaded(view), fail('Reading the journal failed'));
  };

  return {
    startScan: () => scan(state().selectedHosts),
    rescanHost: (name) => scan([name]),
    rescanHosts: (names) => scan(names),
    async importCollections(paths, host) {
      const refuse = (why: string) => (state().errorRaised(`The import did not start: ${why}`), false);
      if (paths.length === 0) return false;
      // Checked here as well as in the backend: the store follows one scan, and an import would replace the running one's progress.
      if (state().scan.running) return refuse('a scan is running: import once it has finished or been cancelled');
      if (host !== null && paths.length > 1) return refuse('a host name names the host of one file: import the files of several hosts without it');
      state().importRequested();
      try {
        const { scanId } = await api.importCollections({ paths: [...paths], ...(host !== null ? { host } : {}) });
        state().scanStarted(scanId);
        return true;
      } catch (error) {
        const message = errorMessage(error);
        state().scanRejected(message);
        return refuse(message);
      }
    },
    async removeHostFromCase(name) {
      await api.removeHostFromCase({ host: name }).then(() => undefined, fail(`Removing ${name} from the case failed`));
    },
    async cancelScan() {
      const scanId = state().scan.scanId;
      if (!scanId) return;
      await api.cancelScan({ scanId }).catch(fail('Cancel failed'));
    },
    async giveUpHost(host) {
      const scanId = state().scan.scanId;
      if (!scanId) return;
      await api.abandonHost({ scanId, host }).then(() => undefined, fail(`Giving up on ${host} failed`));
    },
    async addHost(request) {
      try {
        const { host } = await api.addHost(request);
        state().hostAdded(host);
        return host;
      } catch (error) {
        state().errorRaised(errorMessage(error, 'Adding the host failed'));
        return null;
      }
    },
    async setStep(stepId, done, note, extra = {}) {
      state().stepToggled(stepId);
      try {
        const { progress } = await api.setChecklistStep({ stepId, done, note, ...extra });
        state().stepSaved(stepId, progress);
      } catch (error) {
        state().stepSaveFailed(stepId);
        state().errorRaised(errorMessage(error, 'Saving the checklist failed'));
      }
    },
    async setWindow(windowId, range) {
      state().windowChangeRequested(windowId);
      try {
        const { windowOverrides } = await api.setWindowOverride({ windowId, range });
        state().windowChangeSaved(windowId, windowOverrides);
      } catch (error) {
        state().windowChangeFailed(windowId);
        state().errorRaised(errorMessage(error, 'Changing the compromise window failed'));
      }
    },
    async setDecision(componentId, decision, reason) {
      state().decisionRequested(componentId);
      try {
        const { decisions } = await api.setDecision({ componentId, decision, reason });
        state().decisionSaved(componentId, decisions);
      } catch (error) {
        state().decisionFailed(componentId);
        state().errorRaised(errorMessage(error, 'Recording the decision failed'));
      }
    },
    async annotateRegister(rowId, trust, note) {
      state().annotationRequested(rowId);
      try {
        const { annotations } = await api.annotateRegister({ rowId, trust, note });
        state().annotationSaved(rowId, annotations);
      } catch (error) {
        state().annotationFailed(rowId);
        state().errorRaised(errorMessage(error, 'Saving the trust level and notes failed'));
      }
    },
    async setSuppressions(fileName, text) {
      try {
        const { suppressions } = await api.setSuppressions({ fileName, text });
        state().suppressionsSaved(suppressions);
      } catch (error) {
        state().errorRaised(errorMessage(error, `The suppression file ${fileName} was not loaded`));
      }
    },
    async checkRevoked(fingerprint) {
      if (state().checkingKeys.includes(fingerprint)) return;
      state().revocationCheckRequested(fingerprint);
      try {
        const { checks } = await api.checkRevoked({ fingerprint });
        state().revocationChecked(fingerprint, checks);
      } catch (error) {
        state().revocationCheckFailed(fingerprint);
        state().errorRaised(errorMessage(error, 'The revocation check failed'));
      }
    },
    async importKnownGood(file) {
      state().knownGoodRequested();
      try {
        const contentBase64 = toBase64(new Uint8Array(await file.arrayBuffer()));
        const { imported, knownGood, unhashedCopies } = await api.importKnownGood({ fileName: file.name, contentBase64 });
        const what = `${imported.name} ${imported.version}`;
        state().knownGoodChanged(
          knownGood,
          unhashedCopies > 0
            ? `Imported ${imported.artifact}. ${unhashedCopies} installed ${unhashedCopies === 1 ? 'copy' : 'copies'} of ${what} ${unhashedCopies === 1 ? 'was' : 'were'} not hashed by the last scan: scan again to compare ${unhashedCopies === 1 ? 'it' : 'them'}.`
            : `Imported ${imported.artifact}: every hashed copy of ${what} was compared with it.`,
        );
      } catch (error) {
        state().knownGoodFailed();
        state().errorRaised(errorMessage(error, 'Importing the known-good artifact failed'));
      }
    },
    async removeKnownGood(id) {
      state().knownGoodRequested();
      try {
        const { knownGood } = await api.removeKnownGood({ id });
        state().knownGoodChanged(knownGood, null);
      } catch (error) {
        state().knownGoodFailed();
        state().errorRaised(errorMessage(error, 'Removing the known-good artifact failed'));
      }
    },
    async loadAdvisories(path) {
      state().advisoriesRequested();
      try {
        const { sources } = await api.loadAdvisories({ path });
        state().advisoriesChanged(sources);
        return true;
      } catch (error) {
        state().advisoriesFailed();
        state().errorRaised(errorMessage(error, 'Loading the advisories failed'));
        return false;
      }
    },
    async removeAdvisories(path) {
      state().advisoriesRequested();
      try {
        const { sources } = await api.removeAdvisories({ path });
        state().advisoriesChanged(sources);
      } catch (error) {
        state().advisoriesFailed();
        state().errorRaised(errorMessage(error, 'Forgetting the advisories failed'));
      }
    },
    async exportReport(format) {
      try {
        const { export: rendered } = await api.exportReport({ format });
        if (rendered) save(rendered);
        // The export is in the journal now; nothing else in the store changes to say so.
        if (rendered) await loadJournal();
        else state().errorRaised('Nothing to export yet: scan some hosts first.');
      } catch (error) {
        state().errorRaised(errorMessage(error, 'The export failed'));
      }
    },
    async createCase(name) {
      try {
        const { created, library } = await api.createCase({ name });
        state().casesLoaded(library);
        return await switchCase(() => api.openCase({ caseId: created.id }), `Opening ${created.name} failed`);
      } catch (error) {
        state().errorRaised(errorMessage(error, 'Creating the case failed'));
        return false;
      }
    },
    async renameCase(caseId, name) {
      try {
        const { library } = await api.renameCase({ caseId, name });
        state().casesLoaded(library);
        return true;
      } catch (error) {
        state().errorRaised(errorMessage(error, 'Renaming the case failed'));
        return false;
      }
    },
    async openCase(caseId) {
      await switchCase(() => api.openCase({ caseId }), 'Opening the case failed');
    },
    async closeCase() {
      await switchCase(() => api.closeCase(), 'Closing the case failed');
    },
    async archiveCase(caseId, archived) {
      if (archived && caseId === state().openCaseId) {
        await switchCase(() => api.archiveCase({ caseId, archived }), 'Archiving the case failed');
        return;
      }
      try {
        const { library } = await api.archiveCase({ caseId, archived });
        state().casesLoaded(library);
      } catch (error) {
        state().errorRaised(errorMessage(error, archived ? 'Archiving the case failed' : 'Unarchiving the case failed'));
      }
    },
    loadJournal,
    async answerHostKey(promptId, accept) {
      state().promptAnswered(promptId);
      await api.answerHostKey({ promptId, accept }).then(() => undefined, fail('Answering the host key failed'));
    },
    async answerPassphrase(promptId, passphrase) {
      state().promptAnswered(promptId);
      await api.answerPassphrase({ promptId, passphrase }).then(() => undefined, fail('Answering the passphrase failed'));
    },
  };
}

/** Base64 of bytes, in chunks (String.fromCharCode over a whole wheel would overflow the call stack). */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}
