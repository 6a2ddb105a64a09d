export * from './generated/index.ts';
export { MULTICALL3_ADDRESS } from './multicall3-address.ts';
