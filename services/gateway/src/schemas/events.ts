import { type IntegerOptions, Type } from '@sinclair/typebox';

/** TypeBox shapes of the "Events" part of API.md; the events service's contract (zod) is the authority. */

const IsoDate = Type.String({ format: 'date-time' });
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableIsoDate = Type.Union([IsoDate, Type.Null()]);

/**
 * `integer | null` as one JSON Schema type list: in an `anyOf`, Ajv's type coercion would turn
 * a `null` in a request body into `0` before the null branch is tried (and 0 is a valid rank).
 */
export const NullableInteger = (options: IntegerOptions = {}) =>
  Type.Unsafe<number | null>({ ...Type.Integer(options), type: ['integer', 'null'] });

export const EventLocationInputSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('online'), Type.Literal('venue')]),
    url: Type.Optional(Type.String({ maxLength: 2_048, description: 'required when online (http/https)' })),
    address: Type.Optional(
      Type.String({ minLength: 1, maxLength: 500, description: 'required for a venue' }),
    ),
  },
  { additionalProperties: false },
);

export const TicketPriceSchema = Type.Object(
  {
    value: Type.String({ pattern: '^[1-9][0-9]{0,11}$', description: 'integer minor units' }),
    currency: Type.String({ pattern: '^[a-z]{3}$' }),
  },
  { additionalProperties: false },
);

export const EventTitle = Type.String({ minLength: 1, maxLength: 200 });
export const EventDescription = Type.String({ maxLength: 20_000, description: 'Markdown' });
export const TimeZone = Type.String({ maxLength: 64, description: 'IANA time zone, e.g. Europe/Berlin' });
export const Capacity = { minimum: 1, maximum: 100_000 };
export const MinTierRank = { minimum: 0, maximum: 1_000 };

export const RsvpStatusSchema = Type.Union([
  Type.Literal('going'),
  Type.Literal('maybe'),
  Type.Literal('declined'),
]);

const rsvpResultProperties = {
  status: RsvpStatusSchema,
  waitlisted: Type.Boolean(),
  position: Type.Optional(Type.Integer({ minimum: 1, description: '1-based place in the waitlist' })),
  seat: Type.String({ description: 'confirmed | held | waitlisted | none' }),
  ticket: Type.Optional(
    Type.Object({
      status: Type.String({ description: 'pending | paid | refund-due | refunded' }),
      checkoutUrl: NullableString,
      expiresAt: NullableIsoDate,
    }),
  ),
};

export const RsvpResultSchema = Type.Object(rsvpResultProperties, { title: 'RsvpResult' });

export const EventSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    communityId: Type.String({ format: 'uuid' }),
    title: Type.String(),
    description: Type.String(),
    startsAt: IsoDate,
    endsAt: IsoDate,
    timezone: Type.String(),
    location: Type.Object({
      kind: Type.String(),
      url: NullableString,
      address: NullableString,
      urlHidden: Type.Boolean({ description: 'the event has a URL this viewer is not shown' }),
    }),
    capacity: Type.Union([Type.Integer(), Type.Null()]),
    minTierRank: Type.Union([Type.Integer(), Type.Null()]),
    ticket: Type.Union([Type.Object({ value: Type.String(), currency: Type.String() }), Type.Null()]),
    status: Type.String({ description: 'scheduled | cancelled' }),
    sequence: Type.Integer(),
    goingCount: Type.Integer(),
    waitlistCount: Type.Integer(),
    seatsLeft: Type.Union([Type.Integer(), Type.Null()]),
    createdBy: Type.String(),
    createdAt: IsoDate,
    updatedAt: IsoDate,
    cancelledAt: NullableIsoDate,
    viewer: Type.Optional(
      Type.Object(
        {
          isHost: Type.Boolean(),
          rsvp: Type.Union([
            Type.Object({
              ...rsvpResultProperties,
              checkInCode: NullableString,
              checkedInAt: NullableIsoDate,
            }),
            Type.Null(),
          ]),
        },
        { description: 'present when signed in' },
      ),
    ),
  },
  { title: 'Event' },
);

export const CheckInResultSchema = Type.Object(
  {
    memberId: Type.String(),
    checkedInAt: IsoDate,
    method: Type.String({ description: 'host | code' }),
    alreadyCheckedIn: Type.Boolean(),
  },
  { title: 'CheckIn' },
);
