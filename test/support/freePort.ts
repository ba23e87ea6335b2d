// One implementation shared with the devnet (product) code, so tests and the
// demo probe ports the same way.
export { getFreePort } from '../../src-main/devnet/freePort'
