/**
 * The shapes of API.md (`/work/shared/API.md`), as the browser sees them. The web app talks to
 * the gateway only, so these mirror the HTTP contract, not any service's internals.
 */

export type Address = `0x${string}`;

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail: string;
  code: string;
}

// ---------- operations ----------

export interface ChainInfo {
  chainId: number;
  name: string;
  confirmations: number;
}

export interface PublicConfig {
  appDomain: string;
  appOrigin: string;
  chains: ChainInfo[];
  stripe: { enabled: boolean; publishableKey?: string };
  demo?: {
    communitySlug: string;
    contracts: {
      CommunityToken: Address;
      MembershipPass: Address;
      MemberBadge: Address;
      SmartWallet: Address;
    };
  };
}

// ---------- identity ----------

export interface Member {
  id: string;
  displayName: string | null;
  bio: string | null;
  avatarUrl: string | null;
  wallets: Address[];
  emails: string[];
}

export interface TierRef {
  id: string;
  name: string;
  rank: number;
}

export interface MyMembership {
  community: { id: string; slug: string; name: string };
  tier: TierRef | null;
  via: Proof[];
  since: string;
  validUntil: string | null;
}

export interface Me {
  member: Member;
  memberships: MyMembership[];
}

export interface SiweNonce {
  nonce: string;
  expiresAt: string;
}

// ---------- communities, tiers, membership ----------

export interface Community {
  id: string;
  slug: string;
  name: string;
  description: string;
  treasury: { chainId: number; address: Address } | null;
  createdAt?: string;
  updatedAt?: string;
}

export interface Perk {
  label: string;
  url?: string;
}

export interface TierPrice {
  /** Integer minor units as a decimal string: "1500" = 15.00. */
  value: string;
  currency: string;
  interval: 'month' | 'year';
}

export type CommunityRole = 'owner' | 'admin' | 'moderator' | 'member';

export type LeafGate =
  | { type: 'subscription' }
  | { type: 'erc20'; chainId: number; token: Address; min: string }
  | { type: 'erc721'; chainId: number; token: Address; min?: string; tokenIds?: string[] }
  | { type: 'erc1155'; chainId: number; token: Address; tokenId: string; min: string }
  | { type: 'native'; chainId: number; min: string }
  | { type: 'allowlist'; addresses?: Address[]; emails?: string[] }
  | { type: 'role'; role: CommunityRole };

export type Gate = LeafGate | { any: Gate[] } | { all: Gate[] } | { not: Gate };

export interface Tier {
  id: string;
  communityId?: string;
  name: string;
  description: string;
  rank: number;
  perks: Perk[];
  price: TierPrice | null;
  gate: Gate;
}

export interface TierInput {
  name: string;
  description: string;
  rank: number;
  perks: Perk[];
  price?: TierPrice;
  gate: Gate;
}

/** One matched condition: why a member holds a tier. Balances are totals over the member's wallets. */
export type Proof =
  | { type: 'subscription'; tierId?: string }
  | { type: 'erc20'; chainId: number; token: Address; wallets: Address[]; balance: string; min: string }
  | {
      type: 'erc721';
      chainId: number;
      token: Address;
      wallets: Address[];
      balance?: string;
      min?: string;
      tokenIds?: string[];
    }
  | {
      type: 'erc1155';
      chainId: number;
      token: Address;
      tokenId: string;
      wallets: Address[];
      balance: string;
      min: string;
    }
  | { type: 'native'; chainId: number; wallets: Address[]; balance: string; min: string }
  | { type: 'allowlist'; address?: Address; email?: string }
  | { type: 'role'; role: CommunityRole };

export interface MembershipView {
  tier: TierRef | null;
  via: Proof[];
  checkedAt: string | null;
  validUntil: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface MemberRow {
  /** null when identity no longer knows the member (an erased account). */
  member: (Partial<Member> & { id: string }) | null;
  tier: TierRef | null;
  via: Proof[];
  role: CommunityRole | null;
  since: string;
}

// ---------- tips ----------

export interface Money {
  value: string;
  currency: string;
}

export interface TokenAmount {
  value: string;
  chainId: number;
  token: Address | 'native';
  decimals: number;
}

export type TipStatus = 'pending' | 'confirmed' | 'rejected' | 'failed' | 'reversed';

/** A member id or "creator" (the community's Stripe account or treasury). */
export type TipRecipient = string;

export interface Tip {
  id: string;
  communityId?: string;
  kind?: 'tip' | 'reward';
  rail?: 'fiat' | 'crypto';
  status: TipStatus;
  /** Why a crypto tip was rejected. */
  reason?: string;
  from?: string;
  /** null until a crypto transfer is verified. */
  to?: TipRecipient | null;
  amount?: Money | TokenAmount | null;
  lines?: { to: TipRecipient; amount: Money | TokenAmount; logIndex: number | null }[];
  message?: string | null;
  chainId?: number;
  txHash?: string;
  createdAt?: string;
  confirmedAt?: string | null;
}

export interface LeaderboardRow {
  total: Money | TokenAmount;
  count: number;
}

export interface Leaderboard {
  period: string;
  since: string | null;
  assets: {
    asset: { type: string; currency?: string; chainId?: number; token?: string; decimals?: number };
    recipients: (LeaderboardRow & { to: TipRecipient })[];
    tippers: (LeaderboardRow & { memberId: string })[];
  }[];
}

// ---------- events ----------

export type RsvpStatus = 'going' | 'maybe' | 'declined';

export interface RsvpResult {
  status: RsvpStatus;
  waitlisted: boolean;
  /** 1-based place in the waitlist. */
  position?: number | null;
  /** confirmed | held | waitlisted | none */
  seat?: string;
  ticket?: { status: string; checkoutUrl: string | null; expiresAt: string | null };
}

export interface CommunityEvent {
  id: string;
  title: string;
  description: string;
  startsAt: string;
  endsAt: string;
  timezone: string;
  location: { kind: 'online' | 'venue'; url?: string | null; address?: string | null; urlHidden?: boolean };
  capacity: number | null;
  minTierRank: number | null;
  ticket: Money | null;
  /** scheduled | cancelled */
  status?: string;
  goingCount?: number;
  waitlistCount?: number;
  seatsLeft?: number | null;
  /** Present when signed in. */
  viewer?: {
    isHost: boolean;
    rsvp: (RsvpResult & { checkInCode?: string | null; checkedInAt?: string | null }) | null;
  };
}

export interface EventInput {
  title: string;
  description: string;
  startsAt: string;
  endsAt: string;
  timezone: string;
  location: { kind: 'online' | 'venue'; url?: string; address?: string };
  capacity?: number | null;
  minTierRank?: number | null;
  ticket?: Money;
}

// ---------- governance ----------

export type ProposalType = 'single-choice' | 'approval' | 'weighted' | 'quadratic';

export interface Tally {
  unit: 'power' | 'sqrt-power';
  scores: string[];
  totalPower: string;
  votes: number;
}

export interface VoteView {
  voter: Address;
  choice: string;
  reason?: string;
  power: string;
  timestamp?: number;
  castAt?: string;
}

export interface Proposal {
  id: string;
  title: string;
  body: string;
  choices: string[];
  type: ProposalType;
  startsAt: string;
  endsAt: string;
  quorumRequired?: string;
  snapshotBlock: string;
  status: 'pending' | 'active' | 'closed';
  tally: Tally;
  quorumReached: boolean;
  myVote: VoteView | null;
}

export interface TypedData {
  domain: Record<string, unknown>;
  types: Record<string, { name: string; type: string }[]>;
  primaryType: string;
  message: Record<string, unknown>;
}

// ---------- analytics ----------

/** A rate with 4 decimals (0.25 = 25 %); null when undefined (0/0). */
export type Rate = number | null;
/** Per currency (or ledger asset such as `native:31337`): integer minor / base units as strings. */
export type AmountsByKey = Record<string, string>;

export interface AnalyticsSummary {
  mrr: AmountsByKey;
  arpu: Record<string, string | null>;
  ltv: Record<string, string | null>;
  churn: { logo: Rate; revenue: Record<string, Rate> };
  active: { dau: number; wau: number; mau: number; stickiness: Rate };
  conversion: Rate;
  cac: Record<string, string | null>;
  /** −100..100; null without answers. */
  nps: number | null;
  tips: { count: number; fiat: AmountsByKey; crypto: AmountsByKey; reversed: number };
  events: { attendanceRate: Rate };
  governance: { participation: Rate };
}

export type SeriesMetric = 'mrr' | 'dau' | 'active' | 'mau' | 'signups' | 'tips' | 'nps';

export interface TimeSeries {
  /** A count or rate, null when undefined, or an amount per currency / asset. */
  points: { t: string; value: number | null | AmountsByKey }[];
}

export interface CohortRow {
  /** YYYY-MM of the first payment. */
  cohort: string;
  size: number;
  /** retention[k]: share paying at the end of month cohort+k. */
  retention: (number | null)[];
}

export interface Cohorts {
  cohorts: CohortRow[];
}
