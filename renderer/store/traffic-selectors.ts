/** Reads of the gateway traffic charts. */
import { buildGatewayTrafficCharts, type GatewayTrafficChartData } from '../../shared/present/index.js';
import type { AppState } from './app-state.js';
import { selectorCreator } from './create-selector.js';
import { selectReport } from './report-selectors.js';

const createSelector = selectorCreator<AppState>();

const NO_CHARTS: Readonly<Record<string, GatewayTrafficChartData>> = {};

/** The gateway traffic charts of the report, by gateway finding id (containers whose logs were read). */
export const selectGatewayTrafficCharts = createSelector([selectReport], (report): Readonly<Record<string, GatewayTrafficChartData>> =>
  report ? buildGatewayTrafficCharts(report) : NO_CHARTS,
);
