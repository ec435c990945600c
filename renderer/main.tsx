/** Renderer entry: connects to the backend, starts loading, and mounts the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './theme.css';
import './styles.css';
import { getApi, isWsClient } from './api/get-api.js';
import { createCommands } from './app/commands.js';
import { CommandsContext } from './app/commands-context.js';
import { errorMessage } from './app/error-message.js';
import { startApp } from './app/start-app.js';
import { App } from './components/App.js';
import { useAppStore } from './store/app-store.js';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

try {
  const api = getApi();
  if (isWsClient(api)) api.onConnectionLost((message) => useAppStore.getState().errorRaised(message));
  const commands = createCommands(api, useAppStore);
  createRoot(root).render(
    <StrictMode>
      <CommandsContext.Provider value={commands}>
        <App />
      </CommandsContext.Provider>
    </StrictMode>,
  );
  void startApp(api, useAppStore);
} catch (error) {
  // Without an API there is nothing to show but the reason.
  root.textContent = `Blast Radius could not start: ${errorMessage(error)}`;
  document.body.dataset['appReady'] = 'true';
}
