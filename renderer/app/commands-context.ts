/** Hands the app's commands to components without prop drilling. */
import { createContext, useContext } from 'react';
import type { Commands } from './commands.js';

/** The context holding the app's commands; main.tsx provides it. */
export const CommandsContext = createContext<Commands | null>(null);

/** The app's commands; throws when used outside the provider (a wiring bug). */
export function useCommands(): Commands {
  const commands = useContext(CommandsContext);
  if (!commands) throw new Error('useCommands() needs a CommandsContext provider');
  return commands;
}
