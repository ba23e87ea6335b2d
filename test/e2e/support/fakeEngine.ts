/**
 * The renderer against a scripted engine: out/renderer served by a bare
 * static server, and `window.stablepay` (the preload's transport, as in
 * Electron) replaced before the app loads by one that answers from canned
 * state and pushes events on demand. Used to render every screen state in
 * both languages and themes (screens.spec.ts); the behaviour with the real
 * engine and chain is covered by the other specs.
 */
import { readFileSync, statSync } from 'node:fs'
import type { Server } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import type { Page } from '@playwright/test'
import type { AppSettings, ChainConfig, Merchant, PaymentSession } from '../../../src-preload/contract'
import { ROOT } from '../../support/serve'

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png' }

export async function serveRenderer(): Promise<{ url: string; close(): Promise<void> }> {
  const dir = join(ROOT, 'out/renderer')
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '')
    let file = join(dir, path === '/' ? 'index.html' : path)
    try {
      if (!statSync(file).isFile()) file = join(dir, 'index.html')
    } catch {
      file = join(dir, 'index.html')
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
    res.end(readFileSync(file))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  }
}

export interface FakeState {
  settings: AppSettings
  merchant: Merchant
  chains: ChainConfig[]
  devnet: boolean
  configured: boolean
  /** The session every create/get/list/cancel answers with. */
  session: PaymentSession | null
}

/** Installs the scripted transport; call before page.goto. */
export async function installFakeEngine(page: Page, state: FakeState): Promise<void> {
  await page.addInitScript((initial: FakeState) => {
    type Listener = (payload: unknown) => void
    const listeners = new Map<string, Set<Listener>>()
    const w = globalThis as unknown as Record<string, unknown>
    w.__fake = initial
    w.__push = (event: string, payload: unknown) => {
      for (const l of listeners.get(event) ?? []) l(payload)
    }
    const ok = (value: unknown) => Promise.resolve({ ok: true, value })
    w.stablepay = {
      invoke(channel: string, input: Record<string, unknown> | undefined) {
        const s = w.__fake as FakeState
        switch (channel) {
          case 'app:info':
            return ok({ version: '0.0.0', configured: s.configured, merchant_id: 'shop', devnet: s.devnet })
          case 'settings:get':
            return ok(s.settings)
          case 'settings:update':
          case 'settings:language':
            s.settings = { ...s.settings, ...(input ?? {}) }
            return ok(s.settings)
          case 'merchant:get':
            return ok(s.merchant)
          case 'chains:list':
            return ok(s.chains)
          case 'sessions:create':
          case 'sessions:get':
          case 'sessions:cancel':
            return ok(s.session)
          case 'sessions:list':
            return ok({ data: s.session ? [s.session] : [], has_more: false, next_cursor: null })
          case 'devices:me':
            return ok({
              device: {
                id: 'local',
                name: 'This computer',
                till: 'till_1',
                till_name: 'Till 1',
                role_hint: 'cashier',
                created_at: 0,
                last_seen_at: 0,
                address: null,
                revoked_at: null,
              },
              lan_origins: [],
            })
          case 'setup:preview-xpub':
            return ok({ addresses: ['0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc'] })
          // The owner role (#13): the fake's screens are seen as the owner sees them, PIN already entered.
          case 'owner:status':
            return ok({ role: 'owner', pin_set: true, locked_out_until: null, tries_left: 5, expires_at: null, recovery_code_set: true })
          case 'owner:notices':
            return ok([])
          default:
            return Promise.resolve({ ok: false, error: { code: 'unknown_channel', message: `fake engine: no ${channel}` } })
        }
      },
      subscribe(event: string, listener: Listener) {
        const set = listeners.get(event) ?? new Set<Listener>()
        set.add(listener)
        listeners.set(event, set)
        return () => set.delete(listener)
      },
      onReconnect() {
        return () => undefined
      },
    }
  }, state)
}

/** Replaces the canned session and pushes it as `session:updated`, as the engine does after a commit. */
export async function pushSession(page: Page, session: PaymentSession): Promise<void> {
  await page.evaluate((s) => {
    const w = globalThis as unknown as { __fake: { session: unknown }; __push: (e: string, p: unknown) => void }
    w.__fake.session = s
    w.__push('session:updated', s)
  }, session)
}
