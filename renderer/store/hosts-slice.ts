/** Hosts the user can scan and which of them are ticked. */
import type { StateCreator } from 'zustand';
import type { HostEntry } from '../../shared/ipc/index.js';
import type { AppState } from './app-state.js';

/** State and events of the host list. */
export interface HostsSlice {
  hosts: HostEntry[];
  /** Names of the ticked hosts, in the order they were ticked. */
  selectedHosts: string[];
  /** The host list arrived from `listHosts()`. */
  hostsLoaded(hosts: HostEntry[]): void;
  /** A host was added by hand; it is ticked straight away. */
  hostAdded(host: HostEntry): void;
  /** The user ticked or unticked one host. */
  hostToggled(name: string): void;
  /** The user ticked or unticked every host at once. */
  allHostsToggled(selected: boolean): void;
}

/** Creates the hosts slice. */
export const createHostsSlice: StateCreator<AppState, [], [], HostsSlice> = (set) => ({
  hosts: [],
  selectedHosts: [],
  hostsLoaded: (hosts) =>
    set((state) => ({
      hosts,
      // A host that disappeared from the list (ssh config edited) can no longer be scanned.
      selectedHosts: state.selectedHosts.filter((name) => hosts.some((host) => host.name === name)),
    })),
  hostAdded: (host) =>
    set((state) => ({
      hosts: [...state.hosts.filter((entry) => entry.name !== host.name), host],
      selectedHosts: state.selectedHosts.includes(host.name) ? state.selectedHosts : [...state.selectedHosts, host.name],
    })),
  hostToggled: (name) =>
    set((state) => ({
      selectedHosts: state.selectedHosts.includes(name)
        ? state.selectedHosts.filter((selected) => selected !== name)
        : [...state.selectedHosts, name],
    })),
  allHostsToggled: (selected) => set((state) => ({ selectedHosts: selected ? state.hosts.map((host) => host.name) : [] })),
});
