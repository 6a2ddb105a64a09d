import { AppError } from '@coterie/contracts';

export class ForbiddenError extends AppError {
  constructor(message = 'only the owner or an admin of this community may read its analytics') {
    super('forbidden', 403, message);
  }
}

export class NpsAlreadyAnsweredError extends AppError {
  constructor(nextAllowedAt: Date) {
    super('nps_already_answered', 409, 'this member answered the survey less than 30 days ago', {
      nextAllowedAt: nextAllowedAt.toISOString(),
    });
  }
}

export class InvalidRangeError extends AppError {
  constructor(message: string) {
    super('invalid_range', 400, message);
  }
}
