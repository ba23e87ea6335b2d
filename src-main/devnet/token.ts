import { createPublicClient, createWalletClient, getAddress, http, parseAbi, parseEventLogs } from 'viem'
import type { Address, Hash, PublicClient, TransactionReceipt } from 'viem'
import { compileStablecoin } from './compile'

/** Typed ABI of the devnet stablecoin (matches STABLECOIN_SOURCE). */
export const stablecoinAbi = parseAbi([
  'constructor(string name_, string symbol_, uint8 decimals_)',
  'function name() view returns (string)',
  'function symbol() view returns (string)',
  'function decimals() view returns (uint8)',
  'function totalSupply() view returns (uint256)',
  'function balanceOf(address account) view returns (uint256)',
  'function allowance(address owner, address spender) view returns (uint256)',
  'function mint(address to, uint256 amount)',
  'function transfer(address to, uint256 amount) returns (bool)',
  'function approve(address spender, uint256 amount) returns (bool)',
  'function transferFrom(address from, address to, uint256 amount) returns (bool)',
  'event Transfer(address indexed from, address indexed to, uint256 value)',
  'event Approval(address indexed owner, address indexed spender, uint256 value)',
])

/** How many dev accounts get a starting balance, and how many whole tokens each. */
export const FUNDED_ACCOUNTS = 5
export const FUNDED_WHOLE_TOKENS = 10n ** 12n

// Bounded so a chain started with noMining fails loudly instead of hanging.
const RECEIPT_TIMEOUT_MS = 30_000

function clientsFor(rpcUrl: string) {
  // No transport retries for writes: a retried eth_sendTransaction whose first
  // attempt landed would send the payment twice.
  const wallet = createWalletClient({ transport: http(rpcUrl, { retryCount: 0 }) })
  // A short polling interval: local chains mine instantly and viem's default is 4 s.
  const pub: PublicClient = createPublicClient({ transport: http(rpcUrl), pollingInterval: 50 })
  return { wallet, pub }
}

async function confirmed(pub: PublicClient, hash: Hash, what: string): Promise<TransactionReceipt> {
  const receipt = await pub.waitForTransactionReceipt({ hash, timeout: RECEIPT_TIMEOUT_MS, pollingInterval: 50 })
  if (receipt.status !== 'success') throw new Error(`${what} reverted (tx ${hash})`)
  return receipt
}

// eth_accounts: anvil's unlocked dev accounts, in their fixed order.
async function devAccounts(wallet: ReturnType<typeof clientsFor>['wallet']): Promise<Address[]> {
  return wallet.getAddresses()
}

export interface DeployStablecoinOptions {
  name: string
  symbol: string
  decimals: number
  /** Unlocked node account that deploys; defaults to dev account 0. */
  deployer?: Address
  /** Who gets the starting balance; defaults to the first 5 dev accounts. */
  mintTo?: Address[]
  /** Whole tokens minted to each of mintTo; defaults to 10^12. */
  mintWholeTokens?: bigint
}

/**
 * Deploys the test stablecoin from an unlocked node account (eth_sendTransaction,
 * no private key) and mints 10^12 whole tokens to each of the first 5 dev accounts.
 * The chain must mine (automine or interval mining).
 */
export async function deployStablecoin(rpcUrl: string, opts: DeployStablecoinOptions): Promise<Address> {
  if (!Number.isInteger(opts.decimals) || opts.decimals < 0 || opts.decimals > 255) {
    throw new Error(`decimals must be an integer in 0..255, got ${opts.decimals}`)
  }
  const { wallet, pub } = clientsFor(rpcUrl)
  const accounts = await devAccounts(wallet)
  const deployer = opts.deployer ?? accounts[0]
  if (!deployer) throw new Error('node has no unlocked accounts to deploy from')
  const { bytecode } = compileStablecoin()

  const deployHash = await wallet.deployContract({
    abi: stablecoinAbi,
    bytecode,
    args: [opts.name, opts.symbol, opts.decimals],
    account: deployer,
    chain: null,
  })
  const receipt = await confirmed(pub, deployHash, `deploy ${opts.symbol}`)
  if (!receipt.contractAddress) throw new Error(`deploy ${opts.symbol}: receipt has no contract address`)
  // Checksummed, as the app stores and displays addresses.
  const token = getAddress(receipt.contractAddress)

  const recipients = opts.mintTo ?? accounts.slice(0, FUNDED_ACCOUNTS)
  const amount = 10n ** BigInt(opts.decimals) * (opts.mintWholeTokens ?? FUNDED_WHOLE_TOKENS)
  // Sent one after another so nonces are assigned in order; receipts awaited together.
  const hashes: Hash[] = []
  for (const to of recipients) {
    hashes.push(
      await wallet.writeContract({
        address: token,
        abi: stablecoinAbi,
        functionName: 'mint',
        args: [to, amount],
        account: deployer,
        chain: null,
      }),
    )
  }
  await Promise.all(hashes.map((h) => confirmed(pub, h, `mint ${opts.symbol}`)))
  return token
}

export interface MintStablecoinOptions {
  token: Address
  to: Address
  /** Base units. */
  amount: bigint
  /** Unlocked sender; defaults to dev account 0 (mint is open). */
  from?: Address
}

/** Mints base units of a devnet stablecoin to any address (e.g. a fresh customer wallet). */
export async function mintStablecoin(rpcUrl: string, opts: MintStablecoinOptions): Promise<Hash> {
  const { wallet, pub } = clientsFor(rpcUrl)
  const from = opts.from ?? (await devAccounts(wallet))[0]
  if (!from) throw new Error('node has no unlocked accounts to mint from')
  const hash = await wallet.writeContract({
    address: opts.token,
    abi: stablecoinAbi,
    functionName: 'mint',
    args: [opts.to, opts.amount],
    account: from,
    chain: null,
  })
  await confirmed(pub, hash, 'mint')
  return hash
}

export interface SendStablecoinOptions {
  token: Address
  /** Must be an unlocked node account (a dev account). */
  from: Address
  to: Address
  /** Base units (10^decimals per whole token). */
  amount: bigint
}

export interface SentTransfer {
  hash: Hash
  blockNumber: bigint
  blockHash: Hash
  /** Block-level index of the Transfer log, as getLogs reports it. */
  logIndex: number
}

/** ERC-20 transfer from an unlocked account; resolves once the receipt is in. */
export async function sendStablecoin(rpcUrl: string, opts: SendStablecoinOptions): Promise<SentTransfer> {
  const { wallet, pub } = clientsFor(rpcUrl)
  const hash = await wallet.writeContract({
    address: opts.token,
    abi: stablecoinAbi,
    functionName: 'transfer',
    args: [opts.to, opts.amount],
    account: opts.from,
    chain: null,
  })
  const receipt = await confirmed(pub, hash, 'transfer')
  const token = opts.token.toLowerCase()
  const log = parseEventLogs({ abi: stablecoinAbi, logs: receipt.logs, eventName: 'Transfer' }).find(
    (l) => l.address.toLowerCase() === token,
  )
  if (!log) throw new Error(`transfer ${hash}: no Transfer log from ${opts.token}`)
  return { hash, blockNumber: receipt.blockNumber, blockHash: receipt.blockHash, logIndex: log.logIndex }
}
