import type { RpcEndpoint } from '@coterie/messaging';
import type { Deps } from '../../ports.ts';
import { cohortsEndpoint } from './cohorts.ts';
import { exportCsvEndpoint } from './export-csv.ts';
import { exportMemberDataEndpoint } from './export-member-data.ts';
import { recordSpendEndpoint } from './record-spend.ts';
import { submitNpsEndpoint } from './submit-nps.ts';
import { summaryEndpoint } from './summary.ts';
import { timeseriesEndpoint } from './timeseries.ts';

/** NATS endpoints the gateway calls (`analytics.rpc.<action>`); `health` comes from the kit. */
export function rpcEndpoints(deps: Deps): RpcEndpoint[] {
  return [
    summaryEndpoint(deps),
    timeseriesEndpoint(deps),
    cohortsEndpoint(deps),
    exportCsvEndpoint(deps),
    submitNpsEndpoint(deps),
    recordSpendEndpoint(deps),
    exportMemberDataEndpoint(deps),
  ];
}
