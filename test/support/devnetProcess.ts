/**
 * The child process of startDevnetProcess (anvil.ts), run with tsx: starts
 * the devnet, prints it as one JSON line, and keeps it until SIGTERM/SIGINT,
 * when it stops anvil by PID and exits.
 */
import { startDevnet } from './anvil'

const started = startDevnet()
let stopping = false
// Set before the devnet is up: a stop during start-up waits for anvil, then stops it.
const stop = () => {
  if (stopping) return
  stopping = true
  void started.then(
    (devnet) => devnet.stop().then(() => process.exit(0)),
    () => process.exit(0),
  )
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
// The parent went away without a word (crashed runner): do not leave anvil behind.
process.stdin.on('end', stop)
process.stdin.resume()

started.then(
  ({ anvil, stop: _stop, ...devnet }) => {
    if (!stopping) process.stdout.write(`${JSON.stringify({ ...devnet, pid: anvil.pid })}\n`)
  },
  (error: unknown) => {
    process.stderr.write(`devnet: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  },
)
