/** Reads of the inventory view: the report's inventory and what is expanded in it. */
import { buildInventory, type InventoryHost } from '../../shared/present/index.js';
import type { AppState } from './app-state.js';
import { selectorCreator } from './create-selector.js';
import { selectReport } from './report-selectors.js';

const createSelector = selectorCreator<AppState>();

const NO_HOSTS: InventoryHost[] = [];

/** The inventory of the report, with each package marked when a finding names it. */
export const selectInventory = createSelector([selectReport], (report): InventoryHost[] => (report ? buildInventory(report) : NO_HOSTS));

/** Whether one environment of the inventory is expanded. */
export const selectIsEnvironmentExpanded = (key: string) => (state: AppState) => state.expandedEnvironments.includes(key);
/** Whether one container's detail row is open. */
export const selectIsContainerExpanded = (key: string) => (state: AppState) => state.expandedContainers.includes(key);
