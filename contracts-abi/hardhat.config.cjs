// Config for the dev chain only (`hardhat node`, spawned by src/dev-chain/start-dev-chain.ts).
// Contracts are compiled by scripts/build.ts with solc-js, never by Hardhat, so there is no
// `solidity` section; artifacts/cache point into the git-ignored build/ folder so a stray
// Hardhat task cannot litter the package root.
module.exports = {
  networks: {
    hardhat: {
      chainId: 31337,
      accounts: {
        mnemonic: 'test test test test test test test test test test test junk',
        // DESIGN.md §8: accounts #0–#19; #0 deploys, the others start with ETH only.
        count: 20,
      },
    },
  },
  paths: {
    sources: './contracts',
    artifacts: './build/hardhat/artifacts',
    cache: './build/hardhat/cache',
  },
};
