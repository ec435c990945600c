/** Reads of the AI components (gateways, model servers) with their centrality and the owner's decisions. */
import { aiComponents, type AiComponent } from '../../shared/present/index.js';
import type { AppState } from './app-state.js';
import { selectDecisions } from './checklist-selectors.js';
import { selectorCreator } from './create-selector.js';
import { selectReport } from './report-selectors.js';

const createSelector = selectorCreator<AppState>();

const NO_COMPONENTS: readonly AiComponent[] = [];

/** Every AI component of the case's report, with the decision recorded for each. */
export const selectAiComponents = createSelector([selectReport, selectDecisions], (report, decisions): readonly AiComponent[] =>
  report ? aiComponents(report, decisions) : NO_COMPONENTS,
);

/** One component by id (a gateway finding's id), or null. */
export const selectAiComponent = (componentId: string) => (state: AppState) => selectAiComponents(state).find((component) => component.id === componentId) ?? null;

/** Whether a component's decision is on its way to the backend. */
export const selectIsDecisionSaving = (componentId: string) => (state: AppState) => state.savingDecisions.includes(componentId);
