// Extended public key of m/44'/60'/0'/0 for the anvil/hardhat test mnemonic
// "test test test test test test test test test test test junk".
// Child 0 = 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 (anvil account 0),
// child 1 = 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 (anvil account 1).
// Hard-coded so tests using it need no mnemonic handling; receive.test.ts
// re-derives it from the mnemonic to keep this constant honest.
export const ANVIL_XPUB =
  'xpub6DyUKdwoLWmUJ4Tn9Bbsdtx7B5Ws18mEN19e5HT52ikE53FiUheSQXrZUNPovqfyKmw4579A1Mm3GXXKM39N64uooBfJ4tNAzFsEbodRTx4'

export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk'

export const ANVIL_ADDRESSES = [
  '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
  '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
] as const
