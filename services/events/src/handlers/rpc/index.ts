import { eventsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { calendarToken, communityCalendar, memberCalendar } from '../../application/calendars.ts';
import { hostCheckIn, selfCheckIn } from '../../application/check-in.ts';
import { cancelEvent, createEvent, updateEvent } from '../../application/manage-events.ts';
import { exportMemberData } from '../../application/member-data.ts';
import { getEvent, listEvents } from '../../application/read-events.ts';
import { rsvp } from '../../application/rsvp.ts';
import type { Deps } from '../../ports.ts';

/** NATS endpoints (`events.rpc.<action>`) the gateway calls, one per API.md route; `health` comes from the kit. */
export function rpcEndpoints(deps: Deps): RpcEndpoint[] {
  return [
    rpcEndpoint(eventsRpc.createEvent, async (req) => ({ event: await createEvent(deps, req) })),
    rpcEndpoint(eventsRpc.updateEvent, async (req) => ({ event: await updateEvent(deps, req) })),
    rpcEndpoint(eventsRpc.cancelEvent, async (req) => ({ event: await cancelEvent(deps, req) })),
    rpcEndpoint(eventsRpc.listEvents, (req) => listEvents(deps, req)),
    rpcEndpoint(eventsRpc.getEvent, async (req) => ({ event: await getEvent(deps, req) })),
    rpcEndpoint(eventsRpc.rsvp, (req) => rsvp(deps, req)),
    rpcEndpoint(eventsRpc.checkIn, (req) => hostCheckIn(deps, req)),
    rpcEndpoint(eventsRpc.selfCheckIn, (req) => selfCheckIn(deps, req)),
    rpcEndpoint(eventsRpc.communityCalendar, async (req) => ({ ics: await communityCalendar(deps, req) })),
    rpcEndpoint(eventsRpc.memberCalendar, async (req) => ({ ics: await memberCalendar(deps, req.token) })),
    rpcEndpoint(eventsRpc.calendarToken, (req) => calendarToken(deps, req)),
    rpcEndpoint(eventsRpc.exportMemberData, (req) => exportMemberData(deps, req)),
  ];
}
