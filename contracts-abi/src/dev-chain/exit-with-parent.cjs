'use strict';
// Preloaded into the Hardhat node with `node --require`. The parent keeps the node's stdin pipe
// open and never writes to it; if the parent dies without running its exit hooks (SIGKILL, OOM,
// a crashed test worker) the pipe closes, and this takes the node down instead of leaving an
// orphan holding the port.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
