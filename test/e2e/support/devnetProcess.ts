/**
 * Runs a devnet for one end-to-end test in its own process (started with
 * tsx): anvil plus the demo stablecoins (USDC 6 decimals, USDT 18). Prints one
 * JSON line describing it, then keeps anvil alive until SIGTERM/SIGINT, when
 * it stops anvil by PID and exits.
 *
 * Why a process: src-main/devnet uses `import.meta.url`, which Playwright's
 * CommonJS test loader cannot run; tsx can.
 */
import { setupDemoChain, startAnvil } from '../../../src-main/devnet'

async function main(): Promise<void> {
  const anvil = await startAnvil()
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    void anvil.stop().then(() => process.exit(0))
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  // The parent went away without a word (crashed runner): do not leave anvil behind.
  process.stdin.on('end', stop)
  process.stdin.resume()
  try {
    const tokens = await setupDemoChain(anvil)
    process.stdout.write(
      `${JSON.stringify({ rpcUrl: anvil.rpcUrl, chainId: anvil.chainId, accounts: anvil.accounts, pid: anvil.pid, ...tokens })}\n`,
    )
  } catch (error) {
    process.stderr.write(`devnet: ${error instanceof Error ? error.message : String(error)}\n`)
    await anvil.stop()
    process.exit(1)
  }
}

void main()
