import { AppError } from '@coterie/contracts';

export class EmailCodeInvalidError extends AppError {
  constructor() {
    super('email_code_invalid', 401, 'The code is wrong, expired or already used.');
  }
}

export class EmailCodeLockedError extends AppError {
  constructor() {
    super('too_many_attempts', 429, 'Too many wrong codes; ask for a new one.');
  }
}

export class RateLimitedError extends AppError {
  constructor(what: string, retryAfterSeconds: number) {
    super('rate_limited', 429, `Too many ${what}; try again later.`, { retryAfterSeconds });
  }
}

export class WalletTakenError extends AppError {
  constructor() {
    super('wallet_taken', 409, 'This wallet is linked to another member.');
  }
}

export class EmailTakenError extends AppError {
  constructor() {
    super('email_taken', 409, 'This email is linked to another member.');
  }
}

export class MemberNotFoundError extends AppError {
  constructor() {
    super('member_not_found', 404, 'No such member.');
  }
}
