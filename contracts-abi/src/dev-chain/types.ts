import type { ChildProcess } from 'node:child_process';
import type { Address } from 'viem';
import type { DEV_CHAIN_ID } from './constants.ts';

export type DevChainLogger = { info(...args: unknown[]): void };

export type StartDevChainOptions = {
  /** 0 or undefined lets the OS pick a free port. */
  port?: number;
  /** Interface to bind; defaults to 127.0.0.1. */
  host?: string;
  logger?: DevChainLogger;
};

export type DevChain = {
  rpcUrl: string;
  chainId: typeof DEV_CHAIN_ID;
  host: string;
  port: number;
  pid: number;
  process: ChildProcess;
  /** Wall time from spawn until the node answered `eth_chainId`. */
  startupMs: number;
  /** Stops the node; safe to call more than once. */
  stop(): Promise<void>;
};

export type DemoContracts = {
  CommunityToken: Address;
  MembershipPass: Address;
  MemberBadge: Address;
  SmartWallet: Address;
};

export type DevChainSetup = DevChain & { contracts: DemoContracts };
