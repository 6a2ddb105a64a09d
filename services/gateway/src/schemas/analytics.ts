import { Type } from '@sinclair/typebox';

/** TypeBox shapes of the "Analytics" part of API.md; definitions in services/analytics/README.md. */

const IsoDate = Type.String({ format: 'date-time' });
/** A rate with 4 decimals; null when undefined (0/0). */
const Rate = Type.Union([Type.Number(), Type.Null()]);
/** Integer minor units (or token base units) per currency / asset, as decimal strings: never mixed. */
const MoneyByCurrency = Type.Record(Type.String(), Type.String(), {
  description: 'per currency (or ledger asset): integer minor units as a decimal string',
});
const NullableMoneyByCurrency = Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()]), {
  description: 'per currency; null where undefined',
});

export const AnalyticsMetricSchema = Type.Union([
  Type.Literal('mrr'),
  Type.Literal('dau'),
  Type.Literal('active'),
  Type.Literal('mau'),
  Type.Literal('signups'),
  Type.Literal('tips'),
  Type.Literal('nps'),
]);

/** `?metric=&interval=&from=&to=` of the time series and its CSV export. */
export const SeriesQuery = Type.Object({
  metric: AnalyticsMetricSchema,
  interval: Type.Optional(
    Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')], { default: 'day' }),
  ),
  from: Type.Optional(IsoDate),
  to: Type.Optional(IsoDate),
});

/** `[from, to)`; both default to the last 30 days ending now. */
export const RangeQuery = Type.Object({
  from: Type.Optional(IsoDate),
  to: Type.Optional(IsoDate),
});

export const AnalyticsSummarySchema = Type.Object(
  {
    mrr: MoneyByCurrency,
    arpu: NullableMoneyByCurrency,
    ltv: NullableMoneyByCurrency,
    churn: Type.Object({ logo: Rate, revenue: Type.Record(Type.String(), Rate) }),
    active: Type.Object({
      dau: Type.Integer(),
      wau: Type.Integer(),
      mau: Type.Integer(),
      stickiness: Rate,
    }),
    conversion: Rate,
    cac: NullableMoneyByCurrency,
    nps: Type.Union([Type.Integer(), Type.Null()], { description: '−100..100; null without answers' }),
    tips: Type.Object({
      count: Type.Integer(),
      fiat: MoneyByCurrency,
      crypto: MoneyByCurrency,
      reversed: Type.Integer(),
    }),
    events: Type.Object({ attendanceRate: Rate }),
    governance: Type.Object({ participation: Rate }),
  },
  { title: 'AnalyticsSummary' },
);

export const TimeseriesSchema = Type.Object(
  {
    points: Type.Array(
      Type.Object({
        t: IsoDate,
        value: Type.Union([Type.Number(), Type.Null(), MoneyByCurrency], {
          description: 'a count or rate, null when undefined, or an amount per currency / asset',
        }),
      }),
    ),
  },
  { title: 'Timeseries' },
);

export const CohortsSchema = Type.Object(
  {
    cohorts: Type.Array(
      Type.Object({
        cohort: Type.String({ description: 'YYYY-MM of the first payment' }),
        size: Type.Integer(),
        retention: Type.Array(Type.Union([Type.Number(), Type.Null()]), {
          description: 'retention[k]: share paying at the end of month cohort+k',
        }),
      }),
    ),
  },
  { title: 'Cohorts' },
);

export const SpendMonth = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });
export const SpendAmountSchema = Type.Object(
  {
    value: Type.String({ pattern: '^(0|[1-9][0-9]{0,11})$', description: 'integer minor units' }),
    currency: Type.String({ pattern: '^[a-z]{3}$' }),
  },
  { additionalProperties: false },
);
