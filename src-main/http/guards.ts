import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'
import { forbidden } from './errors'

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1'])
const WILDCARD = new Set(['0.0.0.0', '::', ''])

/** Lowercased hostname (no brackets) and port of a Host header, or null when malformed. */
export function parseHostHeader(value: string | undefined): { hostname: string; port: number } | null {
  if (!value) return null
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(value.trim())
  if (!m) return null
  const hostname = (m[1] ?? '').toLowerCase().replace(/^\[|\]$/g, '')
  return { hostname, port: m[2] !== undefined ? Number(m[2]) : 80 }
}

/**
 * The DNS-rebinding guard. A page on evil.example can re-point its own name
 * at 127.0.0.1 and then talk to us from "its" origin; the one thing it cannot
 * change is the Host header, which then says evil.example. So only names that
 * no outsider controls are accepted: the bound address itself, loopback names
 * when bound to loopback, any IP literal when bound to every interface (a
 * tablet on the shop's LAN types the box's IP), plus names the owner lists.
 */
export function hostAllowed(header: string | undefined, bound: { host: string; port: number }, extra: readonly string[] = []): boolean {
  const parsed = parseHostHeader(header)
  if (!parsed || parsed.port !== bound.port) return false
  const boundHost = bound.host.toLowerCase().replace(/^\[|\]$/g, '')
  if (parsed.hostname === boundHost) return true
  if (extra.some((h) => h.toLowerCase() === parsed.hostname)) return true
  const loopbackBind = LOOPBACK_NAMES.has(boundHost) || boundHost.startsWith('127.')
  if (loopbackBind) return LOOPBACK_NAMES.has(parsed.hostname)
  if (WILDCARD.has(boundHost)) return isIP(parsed.hostname) !== 0 || parsed.hostname === 'localhost'
  return false
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Refuses a state-changing request that a browser says comes from another
 * site (CSRF; SameSite cookies already stop most of it, this covers the rest).
 * Back offices calling the API send neither header and are not affected.
 */
export function assertSameOrigin(req: IncomingMessage): void {
  if (SAFE_METHODS.has(req.method ?? 'GET')) return
  const site = req.headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    throw forbidden('cross_origin_request', `cross-site requests are refused (Sec-Fetch-Site: ${String(site)})`)
  const origin = req.headers.origin
  if (origin !== undefined) {
    const host = req.headers.host ?? ''
    if (origin.toLowerCase() !== `http://${host.toLowerCase()}`)
      throw forbidden('cross_origin_request', `requests from origin ${origin} are refused`)
  }
}

/** The UI access token, compared in constant time (hashing first makes the lengths equal). */
export class AccessToken {
  private readonly digest: Buffer
  constructor(readonly value: string) {
    this.digest = sha256(value)
  }
  matches(candidate: string | undefined | null): boolean {
    if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 512) return false
    return timingSafeEqual(sha256(candidate), this.digest)
  }
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest()

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

/** The value of `Authorization: Bearer <value>`, or undefined. */
export function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization
  if (!header) return undefined
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
  return m?.[1]
}
