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
  let value: unknown
  try {
    value = JSON.parse(text) as unknown
  } catch (error) {
    throw badRequest('json_invalid', `the request body is not valid JSON (${error instanceof SyntaxError ? error.message : 'parse error'})`)
  }
  checkStrictJson(text)
  return value
}

// A lone UTF-16 surrogate: a high one not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }

/**
 * What JSON.parse lets through but a payment request must not carry (#12):
 * a key given twice in one object (JSON.parse keeps the last, another parser
 * the first, so the back office and the till could read different amounts),
 * and a string with a lone surrogate (`"\ud800"`: no character at all, which
 * SQLite, CSV and the screens would each mangle differently). Runs on text
 * JSON.parse has already accepted, so it only walks strings and brackets; an
 * explicit stack, not recursion, so deep nesting cannot overflow it.
 */
export function checkStrictJson(text: string): void {
  // Per open container: the keys seen so far (objects) or null (arrays), and whether the next string is a key.
  const stack: Array<{ keys: Set<string> | null; expectKey: boolean }> = []
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '{') stack.push({ keys: new Set(), expectKey: true })
    else if (c === '[') stack.push({ keys: null, expectKey: false })
    else if (c === '}' || c === ']') stack.pop()
    else if (c === ',') {
      const top = stack[stack.length - 1]
      if (top?.keys) top.expectKey = true
    } else if (c === '"') {
      let value = ''
      let j = i + 1
      for (;;) {
        const d = text[j]
        if (d === '"') break
        if (d === '\\') {
          const e = text[j + 1] ?? ''
          if (e === 'u') {
            value += String.fromCharCode(parseInt(text.slice(j + 2, j + 6), 16))
            j += 6
          } else {
            value += ESCAPES[e] ?? e
            j += 2
          }
        } else {
          value += d
          j += 1
        }
      }
      i = j
      if (LONE_SURROGATE.test(value))
        throw badRequest('json_invalid', 'the request body has a string with a lone UTF-16 surrogate (\\ud800-\\udfff); send valid Unicode text')
      const top = stack[stack.length - 1]
      if (top?.keys && top.expectKey) {
        if (top.keys.has(value)) throw badRequest('json_invalid', `the request body gives the key "${value.slice(0, 64)}" twice in one object`, value.slice(0, 64))
        top.keys.add(value)
        top.expectKey = false
      }
    }
  }
}
