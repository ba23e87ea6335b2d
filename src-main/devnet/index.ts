// Local EVM devnet for `npm run demo` and the tests: anvil process control plus a
// compiled-on-the-fly test stablecoin. Product code, but never imports electron.
export { startAnvil, resolveAnvilBinary } from './anvil'
export type { Anvil, StartAnvilOptions } from './anvil'
export { getFreePort } from './freePort'
export { compileStablecoin, clearStablecoinCompileCache } from './compile'
export type { CompiledContract, CompileOptions } from './compile'
export { STABLECOIN_SOURCE, STABLECOIN_CONTRACT_NAME } from './stablecoinSource'
export { stablecoinAbi, deployStablecoin, mintStablecoin, sendStablecoin, FUNDED_ACCOUNTS, FUNDED_WHOLE_TOKENS } from './token'
export type { DeployStablecoinOptions, MintStablecoinOptions, SendStablecoinOptions, SentTransfer } from './token'
export { setupDemoChain, DEMO_TOKENS } from './demo'
export type { DemoChain } from './demo'
