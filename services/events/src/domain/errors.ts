import { AppError } from '@coterie/contracts';

export class EventNotFoundError extends AppError {
  constructor() {
    super('event_not_found', 404, 'No such event, or you may not see it.');
  }
}

export class NotAHostError extends AppError {
  constructor() {
    super('not_a_host', 403, 'Only the community owner, admins and moderators host events.');
  }
}

export class InvalidScheduleError extends AppError {
  constructor(message: string) {
    super('invalid_schedule', 400, message);
  }
}

export class EventCancelledError extends AppError {
  constructor() {
    super('event_cancelled', 409, 'The event was cancelled.');
  }
}

export class EventEndedError extends AppError {
  constructor() {
    super('event_ended', 409, 'The event is over.');
  }
}

export class CapacityTooSmallError extends AppError {
  constructor(taken: number) {
    super('capacity_too_small', 409, `Capacity cannot go below the ${taken} seats already taken.`, { taken });
  }
}

export class StripeNotConfiguredError extends AppError {
  constructor() {
    super('stripe_not_configured', 409, 'Paid tickets need Stripe, which this server has not configured.');
  }
}

export class StripeNotConnectedError extends AppError {
  constructor() {
    super('stripe_account_missing', 409, 'The community has not connected a Stripe account for payouts.');
  }
}

export class StripeUnavailableError extends AppError {
  constructor(message: string) {
    super('stripe_unavailable', 502, `Stripe did not answer: ${message}`);
  }
}

export class CheckInCodeInvalidError extends AppError {
  constructor() {
    super('check_in_code_invalid', 400, 'The check-in code does not match an attendee of this event.');
  }
}

export class NotAttendingError extends AppError {
  constructor() {
    super('not_attending', 409, 'The member has no confirmed seat at this event.');
  }
}

export class CheckInClosedError extends AppError {
  constructor() {
    super('check_in_closed', 409, 'Self check-in opens 1 hour before the start and closes at the end.');
  }
}

export class CalendarTokenInvalidError extends AppError {
  constructor() {
    super('calendar_token_invalid', 404, 'No calendar for this token (it may have been revoked).');
  }
}
