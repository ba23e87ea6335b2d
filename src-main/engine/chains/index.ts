// The chains module: the network registry and input validation for
// addresses, endpoints and explorer links.
export { BUILTIN_CHAINS, findBuiltinChain } from './builtin'
export type { BuiltinChain, BuiltinToken, HexAddress } from './builtin'
export { validateAddress } from './validate'
export type { AddressResult } from './validate'
// The endpoint checks and explorer links run in the renderer too, so they live beside the contract.
export { validateRpcUrl, validateWsUrl, explorerTxUrl, explorerAddressUrl, type UrlResult } from '../../../src-preload/shared/validate'
