import { getAddress } from 'viem'
import type { ObservedTransfer } from '../payments'
import type { RawLog } from './rpc'

/** keccak256("Transfer(address,address,uint256)") */
export const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef'

const WORD = /^0x[0-9a-fA-F]{64}$/

export function addressTopic(address: string): string {
  return `0x${address.slice(2).toLowerCase().padStart(64, '0')}`
}

/**
 * Decodes an ERC-20 Transfer log, or returns null for anything else that shares
 * the topic (ERC-721 transfers index the token id as a fourth topic and carry no data).
 */
export function decodeTransfer(chainId: number, log: RawLog): Omit<ObservedTransfer, 'blockTimestamp'> | null {
  if (log.removed === true) return null
  if (log.topics.length !== 3 || log.topics[0]?.toLowerCase() !== TRANSFER_TOPIC) return null
  const fromTopic = log.topics[1]
  const toTopic = log.topics[2]
  if (!fromTopic || !toTopic || !WORD.test(fromTopic) || !WORD.test(toTopic)) return null
  // A uint256 is exactly one word; anything longer is not this event.
  if (!WORD.test(log.data)) return null
  return {
    chainId,
    txHash: log.transactionHash.toLowerCase(),
    logIndex: Number(BigInt(log.logIndex)),
    tokenAddress: getAddress(log.address),
    from: getAddress(`0x${fromTopic.slice(26)}`),
    to: getAddress(`0x${toTopic.slice(26)}`),
    amount: BigInt(log.data),
    blockNumber: Number(BigInt(log.blockNumber)),
    blockHash: log.blockHash.toLowerCase(),
  }
}
