/**
 * The sandboxed preload: exposes `window.api`, one method per channel. A sandboxed preload may
 * require nothing but `electron`, so the mapping is written out here; the `satisfies` check and
 * the typed invoke keep it in step with shared/ipc/contract.ts at compile time.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { BlastRadiusApi, Invoke, Subscribe } from '../../shared/ipc/contract.js';

const invoke: Invoke = (channel, request) => ipcRenderer.invoke(channel, request);

const subscribe: Subscribe = (channel, listener) => {
  const wrapped = (_event: Electron.IpcRendererEvent, payload: Parameters<typeof listener>[0]) => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => ipcRenderer.removeListener(channel, wrapped);
};

const api = {
  listHosts: () => invoke('hosts:list', {}),
  addHost: (request) => invoke('hosts:add', request),
  startScan: (request) => invoke('scan:start', request),
  cancelScan: (request) => invoke('scan:cancel', request),
  abandonHost: (request) => invoke('scan:abandon-host', request),
  getCase: () => invoke('case:get', {}),
  removeHostFromCase: (request) => invoke('case:remove-host', request),
  setChecklistStep: (request) => invoke('checklist:set-step', request),
  setWindowOverride: (request) => invoke('windows:set-override', request),
  setDecision: (request) => invoke('case:set-decision', request),
  annotateRegister: (request) => invoke('register:annotate', request),
  setSuppressions: (request) => invoke('case:set-suppressions', request),
  checkRevoked: (request) => invoke('keys:check-revoked', request),
  importKnownGood: (request) => invoke('known-good:import', request),
  removeKnownGood: (request) => invoke('known-good:remove', request),
  loadAdvisories: (request) => invoke('advisories:load', request),
  importCollections: (request) => invoke('scan:import', request),
  removeAdvisories: (request) => invoke('advisories:remove', request),
  exportReport: (request) => invoke('report:export', request),
  listCases: () => invoke('cases:list', {}),
  createCase: (request) => invoke('cases:create', request),
  renameCase: (request) => invoke('cases:rename', request),
  openCase: (request) => invoke('cases:open', request),
  closeCase: () => invoke('cases:close', {}),
  archiveCase: (request) => invoke('cases:archive', request),
  getJournal: () => invoke('journal:get', {}),
  answerHostKey: (request) => invoke('prompt:answer-host-key', request),
  answerPassphrase: (request) => invoke('prompt:answer-passphrase', request),
  onScanProgress: (listener) => subscribe('scan:progress', listener),
  onScanFinished: (listener) => subscribe('scan:finished', listener),
  onReportUpdated: (listener) => subscribe('case:report-updated', listener),
  onHostKeyPrompt: (listener) => subscribe('prompt:host-key', listener),
  onPassphrasePrompt: (listener) => subscribe('prompt:passphrase', listener),
} satisfies BlastRadiusApi;

contextBridge.exposeInMainWorld('api', api);
