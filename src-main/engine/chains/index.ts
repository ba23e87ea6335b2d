// Door to the chains module: the network registry and input validation for
// addresses, endpoints and explorer links.
export { BUILTIN_CHAINS, findBuiltinChain } from './builtin'
export type { BuiltinChain, BuiltinToken, HexAddress } from './builtin'
export { validateAddress, validateRpcUrl, validateWsUrl, explorerTxUrl, explorerAddressUrl } from './validate'
export type { AddressResult, UrlResult } from './validate'
