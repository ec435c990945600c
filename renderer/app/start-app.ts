/** Startup: subscribe to the backend's pushes, then load the case library, the open case and its host list. */
import type { BlastRadiusApi } from '../../shared/ipc/index.js';
import type { StoreHandle } from './commands.js';
import { errorMessage } from './error-message.js';

/**
 * Wires pushes into store events and loads the first state; resolves when both loads have
 * answered (successfully or not) and returns a function that unsubscribes.
 */
export async function startApp(api: BlastRadiusApi, store: StoreHandle): Promise<() => void> {
  const state = () => store.getState();
  const unsubscribers = [
    api.onScanProgress((event) => state().scanProgressed(event)),
    api.onScanFinished((event) => state().scanFinished(event)),
    api.onReportUpdated((update) => state().reportRejudged(update)),
    api.onHostKeyPrompt((prompt) => state().hostKeyPrompted(prompt)),
    api.onPassphrasePrompt((prompt) => state().passphrasePrompted(prompt)),
  ];
  await Promise.all([
    loadOpenCase(api, store),
    api.listCases().then(
      ({ library }) => state().casesLoaded(library),
      (error: unknown) => state().errorRaised(errorMessage(error, 'Loading the cases failed')),
    ),
  ]);
  state().appStarted();
  return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
}

/** Loads the open case and its host list (hand-added hosts are the case's); resolves when both have answered, successfully or not. */
export async function loadOpenCase(api: BlastRadiusApi, store: StoreHandle): Promise<void> {
  const state = () => store.getState();
  await Promise.all([
    api.getCase().then(
      (caseState) => state().caseLoaded(caseState),
      (error: unknown) => state().errorRaised(errorMessage(error, 'Loading the case failed')),
    ),
    api.listHosts().then(
      ({ hosts }) => state().hostsLoaded(hosts),
      (error: unknown) => state().errorRaised(errorMessage(error, 'Loading the hosts failed')),
    ),
  ]);
}
