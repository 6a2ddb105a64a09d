import { z } from 'zod';
import { idSchema, isoDateSchema, memberDataRequestSchema } from './common.ts';
import { rpcSubject } from './contexts.ts';
import { defineEvent, defineRpc } from './define.ts';

// ---------- shared shapes ----------

/** Integer minor units (or token base units) as a decimal string; never floats. */
const amountStringSchema = z.string().regex(/^-?(0|[1-9][0-9]*)$/);

/** Money per currency (`{usd: "5533", eur: "2000"}`): currencies are never mixed or converted. */
export const moneyByCurrencySchema = z.record(z.string(), amountStringSchema);
/** As above, with `null` where the figure is undefined (e.g. LTV when nothing churned). */
export const nullableMoneyByCurrencySchema = z.record(z.string(), amountStringSchema.nullable());
/** A rate with 4 decimals; null when undefined (0/0). */
const rateSchema = z.number().nullable();

/** A half-open range [from, to) of instants; at most ~2 years so a query stays bounded. */
const rangeShape = { from: isoDateSchema, to: isoDateSchema };

export const analyticsSummarySchema = z.object({
  /** MRR at `to`, per currency (see services/analytics/README.md for every definition). */
  mrr: moneyByCurrencySchema,
  arpu: nullableMoneyByCurrencySchema,
  ltv: nullableMoneyByCurrencySchema,
  churn: z.object({ logo: rateSchema, revenue: z.record(z.string(), rateSchema) }),
  active: z.object({
    dau: z.number().int(),
    wau: z.number().int(),
    mau: z.number().int(),
    stickiness: rateSchema,
  }),
  conversion: rateSchema,
  cac: nullableMoneyByCurrencySchema,
  /** Net Promoter Score −100..100 of the range's responses; null without any. */
  nps: z.number().int().nullable(),
  tips: z.object({
    count: z.number().int(),
    fiat: moneyByCurrencySchema,
    /** Per ledger asset (`native:31337`, `erc20:31337:0x…`), in base units. */
    crypto: moneyByCurrencySchema,
    reversed: z.number().int(),
  }),
  events: z.object({ attendanceRate: rateSchema }),
  governance: z.object({ participation: rateSchema }),
});
export type AnalyticsSummary = z.infer<typeof analyticsSummarySchema>;

export const ANALYTICS_METRICS = ['mrr', 'dau', 'active', 'mau', 'signups', 'tips', 'nps'] as const;
export const analyticsMetricSchema = z.enum(ANALYTICS_METRICS);
export type AnalyticsMetric = z.infer<typeof analyticsMetricSchema>;
export const analyticsIntervalSchema = z.enum(['day', 'week', 'month']);
export type AnalyticsInterval = z.infer<typeof analyticsIntervalSchema>;

/** A point's value: a count or rate, null when undefined, or an amount per currency/asset. */
export const pointValueSchema = z.union([z.number(), z.null(), moneyByCurrencySchema]);

export const timeseriesSchema = z.object({
  points: z.array(z.object({ t: isoDateSchema, value: pointValueSchema })),
});
export type Timeseries = z.infer<typeof timeseriesSchema>;

export const cohortRowSchema = z.object({
  /** `YYYY-MM` of the customers' first payment. */
  cohort: z.string(),
  size: z.number().int(),
  /** retention[k]: share of the cohort paying at the end of month cohort+k. */
  retention: z.array(z.number().nullable()),
});

export const spendMonthSchema = z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM');

export const spendAmountSchema = z.object({
  value: z.string().regex(/^(0|[1-9][0-9]{0,11})$/, 'must be a non-negative integer amount of minor units'),
  currency: z.string().regex(/^[a-z]{3}$/, 'must be a lower-case ISO 4217 code'),
});

const readRequest = { actorId: idSchema, communityId: idSchema };

/** What analytics holds about a member beyond the other contexts' facts (`GET /v1/me/data`). */
export const analyticsMemberDataSchema = z.object({
  registeredAt: isoDateSchema.nullable(),
  /** UTC days with a sign-in. */
  signInDays: z.array(z.string()),
  /** UTC days the member was active in a community. */
  activeDays: z.array(z.object({ communityId: idSchema, day: z.string() })),
  npsResponses: z.array(
    z.object({
      communityId: idSchema,
      score: z.number().int(),
      comment: z.string().nullable(),
      at: isoDateSchema,
    }),
  ),
});
export type AnalyticsMemberData = z.infer<typeof analyticsMemberDataSchema>;

// ---------- RPC ----------

/** Reads are for the community's owner and admins (403 `forbidden` otherwise). */
export const analyticsRpc = {
  summary: defineRpc({
    subject: rpcSubject('analytics', 'summary'),
    request: z.object({ ...readRequest, ...rangeShape }),
    response: analyticsSummarySchema,
  }),
  timeseries: defineRpc({
    subject: rpcSubject('analytics', 'timeseries'),
    request: z.object({
      ...readRequest,
      metric: analyticsMetricSchema,
      interval: analyticsIntervalSchema.default('day'),
      ...rangeShape,
    }),
    response: timeseriesSchema,
  }),
  cohorts: defineRpc({
    subject: rpcSubject('analytics', 'cohorts'),
    request: z.object(readRequest),
    response: z.object({ cohorts: z.array(cohortRowSchema) }),
  }),
  /** The time series of `metric` as CSV (`t,value` or `t,<currency…>`), daily unless `interval` says otherwise. */
  exportCsv: defineRpc({
    subject: rpcSubject('analytics', 'exportCsv'),
    request: z.object({
      ...readRequest,
      metric: analyticsMetricSchema,
      interval: analyticsIntervalSchema.default('day'),
      ...rangeShape,
    }),
    response: z.object({ filename: z.string(), csv: z.string() }),
  }),
  /** A member answers the community's NPS survey; 409 `nps_already_answered` within 30 days. */
  submitNps: defineRpc({
    subject: rpcSubject('analytics', 'submitNps'),
    request: z.object({
      actorId: idSchema,
      communityId: idSchema,
      score: z.number().int().min(0).max(10),
      comment: z.string().trim().max(2_000).optional(),
    }),
    response: z.object({
      response: z.object({ id: idSchema, score: z.number().int(), submittedAt: isoDateSchema }),
    }),
  }),
  /** An admin enters acquisition spend for a month and currency (for CAC); a later entry replaces it. */
  recordSpend: defineRpc({
    subject: rpcSubject('analytics', 'recordSpend'),
    request: z.object({
      actorId: idSchema,
      communityId: idSchema,
      month: spendMonthSchema,
      amount: spendAmountSchema,
    }),
    response: z.object({ spend: z.object({ month: spendMonthSchema, amount: spendAmountSchema }) }),
  }),
  /** `GET /v1/me/data`: the member's sign-in and activity days and NPS answers. */
  exportMemberData: defineRpc({
    subject: rpcSubject('analytics', 'exportMemberData'),
    request: memberDataRequestSchema,
    response: analyticsMemberDataSchema,
  }),
};

// ---------- events ----------

export const npsSubmittedV1 = defineEvent({
  type: 'analytics.nps.submitted',
  version: 1,
  data: z.object({
    responseId: idSchema,
    communityId: idSchema,
    memberId: idSchema,
    score: z.number().int().min(0).max(10),
    comment: z.string().nullable(),
  }),
});

export const spendRecordedV1 = defineEvent({
  type: 'analytics.spend.recorded',
  version: 1,
  data: z.object({
    communityId: idSchema,
    month: spendMonthSchema,
    amount: spendAmountSchema,
    recordedBy: idSchema,
  }),
});

export const analyticsEvents = [npsSubmittedV1, spendRecordedV1] as const;
