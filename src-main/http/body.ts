import type { IncomingMessage } from 'node:http'
import { badRequest, tooLarge } from './errors'

/** What a too-large upload may still send while we answer 413; past this the socket is cut. */
const DRAIN_LIMIT = 8 * 1024 * 1024

/**
 * Reads the whole body, refusing more than `limit` bytes. A declared
 * Content-Length over the limit is refused before reading anything. The
 * excess is drained rather than left unread, so the client (still writing)
 * gets to read our 413 instead of a connection reset.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN)
    if (Number.isFinite(declared) && declared > limit) {
      drain(req)
      reject(tooLarge(limit))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        cleanup()
        drain(req, size)
        reject(tooLarge(limit))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      cleanup()
      resolve(Buffer.concat(chunks, size))
    }
    const onError = (error: Error) => {
      cleanup()
      reject(error)
    }
    const cleanup = () => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
  })
}

function drain(req: IncomingMessage, already = 0): void {
  let size = already
  req.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size > DRAIN_LIMIT) req.socket.destroy()
  })
  req.resume()
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The body as JSON whatever its Content-Type: StablePay's own curl example
 * sends none. `undefined` for an empty body; the caller decides whether that
 * is allowed.
 */
export function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined
  let text: string
  try {
    text = utf8.decode(raw)
  } catch {
    throw badRequest('json_invalid', 'the request body is not valid UTF-8')
  }
  // A byte-order mark is legal UTF-8 that JSON.parse refuses; editors on Windows add it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw badRequest('json_invalid', `the request body is not valid JSON (${error instanceof SyntaxError ? error.message : 'parse error'})`)
  }
}
