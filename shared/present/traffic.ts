/**
 * The gateway traffic charts: per gateway whose access log (container log or journal; or, without
 * one, the request log in its database) was read, requests per logged hour stacked by client, each
 * client named by what the scan knows it to be.
 */
import type { ScanReport } from '../model/index.js';
import { gatewayFindingId, recogniseGateways } from '../findings/topology/gateways.js';
import { logClient, trafficOf } from '../findings/topology/log-clients.js';

/** One stacked series of the gateway traffic chart: a client address, named by what it is when the scan knows. */
export interface GatewayTrafficSeries {
  /** The row field holding its counts (`c0`, `c1`…, or `other`). */
  key: string;
  name: string;
  requests: number;
}

/** The gateway traffic chart of one gateway finding: one row per logged hour, one field per series. */
export interface GatewayTrafficChartData {
  /** Which log the counts come from: the access log, or the request log in the gateway's database. */
  source: 'access-log' | 'gateway-db';
  window: { start: string; end: string };
  truncated: boolean;
  series: GatewayTrafficSeries[];
  rows: Array<{ hour: string; label: string } & Record<string, number | string>>;
}

/** Clients drawn as their own series; the quieter rest are stacked as one. */
export const MAX_TRAFFIC_SERIES = 8;

/** The gateway traffic charts of the report, by gateway finding id (containers whose logs were read). */
export function buildGatewayTrafficCharts(report: ScanReport): Record<string, GatewayTrafficChartData> {
  const charts: Record<string, GatewayTrafficChartData> = {};
  for (const gateway of recogniseGateways(report.hosts)) {
    const own = trafficOf(gateway, report.hosts);
    // The access log has every request the gateway answered; the database only those it logged.
    const traffic = own.find((entry) => entry.source !== 'gateway-db') ?? own[0];
    if (!traffic) continue;
    const named = traffic.clients.map((client) => {
      const place = logClient(gateway, client.address, report.hosts);
      const who = place.kind === 'container' ? place.container : place.kind === 'host' || place.kind === 'gateway-host' ? `host ${place.host}` : place.kind === 'self' ? 'the gateway itself' : null;
      return { client, name: who ? `${who} (${client.address})` : client.address };
    });
    const shown = named.slice(0, MAX_TRAFFIC_SERIES);
    const rest = named.slice(MAX_TRAFFIC_SERIES);
    const series: GatewayTrafficSeries[] = shown.map(({ client, name }, index) => ({ key: `c${index}`, name, requests: client.requests }));
    if (rest.length > 0) series.push({ key: 'other', name: `${rest.length} other ${rest.length === 1 ? 'client' : 'clients'}`, requests: rest.reduce((sum, { client }) => sum + client.requests, 0) });
    const rows = new Map<string, { hour: string; label: string } & Record<string, number | string>>();
    const add = (hour: string, key: string, requests: number): void => {
      const row = rows.get(hour) ?? { hour, label: `${hour.slice(5, 10)} ${hour.slice(11, 16)}`, ...Object.fromEntries(series.map((one) => [one.key, 0])) };
      row[key] = (row[key] as number) + requests;
      rows.set(hour, row);
    };
    shown.forEach(({ client }, index) => client.hours.forEach((hour) => add(hour.hour, `c${index}`, hour.requests)));
    rest.forEach(({ client }) => client.hours.forEach((hour) => add(hour.hour, 'other', hour.requests)));
    charts[gatewayFindingId(gateway)] = {
      source: traffic.source === 'gateway-db' ? 'gateway-db' : 'access-log',
      window: traffic.window,
      truncated: traffic.truncated === true,
      series,
      rows: [...rows.values()].sort((a, b) => (a.hour < b.hour ? -1 : a.hour > b.hour ? 1 : 0)),
    };
  }
  return charts;
}
