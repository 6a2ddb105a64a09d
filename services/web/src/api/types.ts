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
  member: Partial<Member> & { id: string };
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

export interface Tip {
  id: string;
  status?: 'pending' | 'confirmed' | 'rejected';
  reason?: string;
  amount?: Money | TokenAmount;
  message?: string | null;
  from?: unknown;
  to?: unknown;
  createdAt?: string;
}

// ---------- events ----------

export interface CommunityEvent {
  id: string;
  title: string;
  description: string;
  startsAt: string;
  endsAt: string;
  timezone: string;
  location: { kind: 'online' | 'venue'; url?: string; address?: string };
  capacity?: number | null;
  minTierRank?: number | null;
  ticket?: Money | null;
  myRsvp?: RsvpResult | null;
  going?: number;
}

export type RsvpStatus = 'going' | 'maybe' | 'declined';

export interface RsvpResult {
  status: RsvpStatus;
  waitlisted: boolean;
  position?: number | null;
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

export interface AnalyticsSummary {
  mrr?: Record<string, string>;
  arpu?: unknown;
  ltv?: unknown;
  churn?: { logo?: unknown; revenue?: unknown };
  active?: { dau?: unknown; wau?: unknown; mau?: unknown; stickiness?: unknown };
  conversion?: unknown;
  cac?: unknown;
  nps?: unknown;
  tips?: unknown;
  events?: { attendanceRate?: unknown };
  governance?: { participation?: unknown };
}

export interface TimeSeries {
  points: { t: string; value: number | string }[];
}

export interface Cohorts {
  /** A monthly retention matrix; rows are cohorts, columns months since joining. */
  cohorts?: { cohort: string; size?: number; retention: (number | string | null)[] }[];
  rows?: { cohort: string; size?: number; retention: (number | string | null)[] }[];
}
