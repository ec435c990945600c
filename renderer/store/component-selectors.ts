/** Reads of the AI components (gateways, model servers) with their centrality and the owner's decisions, and the supply-chain register. */
import type { RegisterRow } from '../../shared/model/index.js';
import { aiComponents, supplyChainRegister, type AiComponent } from '../../shared/present/index.js';
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

const NO_ROWS: readonly RegisterRow[] = [];

/** The case's register annotations (trust level and notes by row id). */
export const selectRegisterAnnotations = (state: AppState) => state.registerAnnotations;

/** The supply-chain register of the case's report, with the owner's trust level and notes on each row. */
export const selectRegister = createSelector([selectReport, selectRegisterAnnotations], (report, annotations): readonly RegisterRow[] =>
  report ? supplyChainRegister(report, annotations) : NO_ROWS,
);

/** Whether a register row's trust or notes are on their way to the backend. */
export const selectIsAnnotationSaving = (rowId: string) => (state: AppState) => state.savingAnnotations.includes(rowId);
