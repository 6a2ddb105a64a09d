import { eventsRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CommunityDirectory } from '../application/community-directory.ts';
import { memberOf, requireMember } from '../plugins/app/session.ts';
import { problemResponses } from '../problems.ts';
import { PageQuery, SlugParams } from '../schemas/entitlements.ts';
import {
  Capacity,
  CheckInResultSchema,
  EventDescription,
  EventLocationInputSchema,
  EventSchema,
  EventTitle,
  MinTierRank,
  NullableInteger,
  RsvpResultSchema,
  RsvpStatusSchema,
  TicketPriceSchema,
  TimeZone,
} from '../schemas/events.ts';
import { NoContentSchema } from '../schemas/identity.ts';

export interface EventRoutesOptions {
  rpc: RpcClient;
  communities: CommunityDirectory;
}

const tags = ['events'];
const security = [{ sessionCookie: [] }];
const IsoDate = Type.String({ format: 'date-time' });
const EventParams = Type.Object({ c: SlugParams.properties.c, id: Type.String({ format: 'uuid' }) });
const EventResponse = Type.Object({ event: EventSchema });
const CheckInCode = Type.String({ minLength: 4, maxLength: 32 });
const CALENDAR_TYPE = 'text/calendar; charset=utf-8';
const calendarResponse = {
  description: 'An RFC 5545 calendar',
  content: { 'text/calendar': { schema: Type.String() } },
};

/** The signed-in viewer, so events are shown per their tier and role; anonymous sees public ones. */
const viewerOf = (request: FastifyRequest) => (request.session ? { viewerId: request.session.memberId } : {});

function sendCalendar(reply: FastifyReply, ics: string, filename: string) {
  return reply.type(CALENDAR_TYPE).header('content-disposition', `inline; filename="${filename}"`).send(ics);
}

/** Community events: scheduling (hosts), tier-gated visibility, RSVPs with a waitlist, check-in, ICS feeds. */
export const eventRoutes: FastifyPluginAsyncTypebox<EventRoutesOptions> = async (fastify, options) => {
  const { rpc, communities } = options;

  fastify.post(
    '/v1/communities/:c/events',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: 'Schedule an event (hosts: owner, admins, moderators)',
        params: SlugParams,
        body: Type.Object(
          {
            title: EventTitle,
            description: Type.Optional(EventDescription),
            startsAt: IsoDate,
            endsAt: IsoDate,
            timezone: TimeZone,
            location: EventLocationInputSchema,
            capacity: Type.Optional(Type.Integer(Capacity)),
            minTierRank: Type.Optional(
              Type.Integer({
                ...MinTierRank,
                description: 'only members of this tier rank or higher see it',
              }),
            ),
            ticket: Type.Optional(TicketPriceSchema),
          },
          { additionalProperties: false },
        ),
        response: { 201: EventResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const community = await communities.bySlug(request.params);
      const result = await rpc.call(eventsRpc.createEvent, {
        actorId: memberOf(request).memberId,
        communityId: community.id,
        ...request.body,
      });
      return reply.code(201).send(result);
    },
  );

  fastify.get(
    '/v1/communities/:c/events',
    {
      schema: {
        tags,
        summary: 'Events overlapping [from, to) that the viewer may see, by start',
        params: SlugParams,
        querystring: Type.Object({
          ...PageQuery.properties,
          from: Type.Optional(IsoDate),
          to: Type.Optional(IsoDate),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(EventSchema),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const community = await communities.bySlug(request.params);
      const { limit, cursor, from, to } = request.query;
      return rpc.call(eventsRpc.listEvents, {
        communityId: community.id,
        ...viewerOf(request),
        limit: limit ?? 20,
        ...(cursor ? { cursor } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      });
    },
  );

  // A static segment next to `/events/:id`: its own path, never captured as an id.
  fastify.get(
    '/v1/communities/:c/events.ics',
    {
      schema: {
        tags,
        summary: 'The public calendar feed: events open to everyone, without online URLs',
        params: SlugParams,
        response: { 200: calendarResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const community = await communities.bySlug(request.params);
      const { ics } = await rpc.call(eventsRpc.communityCalendar, {
        communityId: community.id,
        calendarName: community.name,
      });
      return sendCalendar(reply, ics, `${community.slug}.ics`);
    },
  );

  fastify.get(
    '/v1/communities/:c/events/:id',
    {
      schema: {
        tags,
        summary: 'One event, if the viewer may see it (404 otherwise), with their own RSVP',
        params: EventParams,
        response: { 200: EventResponse, ...problemResponses },
      },
    },
    async (request) => {
      const community = await communities.bySlug(request.params);
      return rpc.call(eventsRpc.getEvent, {
        communityId: community.id,
        eventId: request.params.id,
        ...viewerOf(request),
      });
    },
  );

  fastify.patch(
    '/v1/communities/:c/events/:id',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: 'Update an event (hosts); null clears capacity or minTierRank; the ticket price is fixed',
        params: EventParams,
        body: Type.Object(
          {
            title: Type.Optional(EventTitle),
            description: Type.Optional(EventDescription),
            startsAt: Type.Optional(IsoDate),
            endsAt: Type.Optional(IsoDate),
            timezone: Type.Optional(TimeZone),
            location: Type.Optional(EventLocationInputSchema),
            capacity: Type.Optional(NullableInteger(Capacity)),
            minTierRank: Type.Optional(NullableInteger(MinTierRank)),
          },
          { additionalProperties: false },
        ),
        response: { 200: EventResponse, ...problemResponses },
      },
    },
    async (request) => {
      const community = await communities.bySlug(request.params);
      return rpc.call(eventsRpc.updateEvent, {
        actorId: memberOf(request).memberId,
        communityId: community.id,
        eventId: request.params.id,
        patch: request.body,
      });
    },
  );

  fastify.post(
    '/v1/communities/:c/events/:id/cancel',
    {
      onRequest: requireMember,
      // The body is optional: a bodiless POST is validated as `{}` (Fastify validates `undefined` too).
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags,
        security,
        summary: 'Cancel an event (hosts); attendees are told, paid tickets refunded',
        params: EventParams,
        body: Type.Object(
          { reason: Type.Optional(Type.String({ maxLength: 1_000 })) },
          { additionalProperties: false },
        ),
        response: { 200: EventResponse, ...problemResponses },
      },
    },
    async (request) => {
      const community = await communities.bySlug(request.params);
      const { reason } = request.body;
      return rpc.call(eventsRpc.cancelEvent, {
        actorId: memberOf(request).memberId,
        communityId: community.id,
        eventId: request.params.id,
        ...(reason === undefined ? {} : { reason }),
      });
    },
  );

  fastify.put(
    '/v1/communities/:c/events/:id/rsvp',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: 'RSVP going / maybe / declined; going to a full event joins the waitlist',
        params: EventParams,
        body: Type.Object({ status: RsvpStatusSchema }, { additionalProperties: false }),
        response: { 200: RsvpResultSchema, ...problemResponses },
      },
    },
    async (request) => {
      const community = await communities.bySlug(request.params);
      return rpc.call(
        eventsRpc.rsvp,
        {
          actorId: memberOf(request).memberId,
          communityId: community.id,
          eventId: request.params.id,
          status: request.body.status,
        },
        // A ticketed `going` opens a Stripe Checkout on the way.
        { timeoutMs: 15_000 },
      );
    },
  );

  fastify.post(
    '/v1/communities/:c/events/:id/check-in',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: "A host checks an attendee in, by member id or by the attendee's code",
        params: EventParams,
        body: Type.Object(
          {
            memberId: Type.Optional(Type.String({ format: 'uuid' })),
            code: Type.Optional(CheckInCode),
          },
          { additionalProperties: false, description: 'exactly one of memberId or code' },
        ),
        response: { 200: CheckInResultSchema, ...problemResponses },
      },
    },
    async (request) => {
      const community = await communities.bySlug(request.params);
      const { memberId, code } = request.body;
      return rpc.call(eventsRpc.checkIn, {
        actorId: memberOf(request).memberId,
        communityId: community.id,
        eventId: request.params.id,
        ...(memberId === undefined ? {} : { memberId }),
        ...(code === undefined ? {} : { code }),
      });
    },
  );

  fastify.post(
    '/v1/communities/:c/events/:id/self-check-in',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: 'Check yourself in with your own code (from 1 h before the start until the end)',
        params: EventParams,
        body: Type.Object({ code: CheckInCode }, { additionalProperties: false }),
        response: { 200: CheckInResultSchema, ...problemResponses },
      },
    },
    async (request) => {
      const community = await communities.bySlug(request.params);
      return rpc.call(eventsRpc.selfCheckIn, {
        actorId: memberOf(request).memberId,
        communityId: community.id,
        eventId: request.params.id,
        code: request.body.code,
      });
    },
  );

  fastify.get(
    '/v1/me/calendar.ics',
    {
      schema: {
        tags,
        summary: "A member's private feed of the events they go to; the token is the credential",
        querystring: Type.Object({ token: Type.String({ minLength: 1, maxLength: 256 }) }),
        response: { 200: calendarResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { ics } = await rpc.call(eventsRpc.memberCalendar, { token: request.query.token });
      reply.header('cache-control', 'private, no-store');
      return sendCalendar(reply, ics, 'coterie.ics');
    },
  );

  fastify.post(
    '/v1/me/calendar-token',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: 'Create or replace your calendar feed token (shown once; the old feed URL stops working)',
        response: {
          201: Type.Object({
            token: Type.Union([Type.String(), Type.Null()], {
              description: 'use it as ?token= of calendar.ics',
            }),
            createdAt: Type.Union([IsoDate, Type.Null()]),
          }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const result = await rpc.call(eventsRpc.calendarToken, {
        actorId: memberOf(request).memberId,
        action: 'rotate',
      });
      return reply.code(201).header('cache-control', 'no-store').send(result);
    },
  );

  fastify.delete(
    '/v1/me/calendar-token',
    {
      onRequest: requireMember,
      schema: {
        tags,
        security,
        summary: 'Revoke your calendar feed token',
        response: { 204: NoContentSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      await rpc.call(eventsRpc.calendarToken, { actorId: memberOf(request).memberId, action: 'revoke' });
      return reply.code(204).send(null);
    },
  );
};
