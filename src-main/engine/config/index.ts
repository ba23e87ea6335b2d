import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { z } from 'zod'
import type { Engine } from '..'
import { EngineError } from '../errors'
import { isCurrency } from '../money'
import type { NetworkInput } from '../shop'
import { resolveNetwork } from '../shop'
import { audited, CONFIG_FILE_ACTOR } from '../owner'
import type { AppSettings } from '../../../src-preload/contract'
import { settingsFields, shopAddress } from '../../../src-preload/schemas'

/**
 * The JSON config file of serve mode (and of a managed desktop install).
 * It rules only what it names; applying it twice changes nothing.
 * zod gives exact, path-named messages for a wrong type or an unknown key.
 */
const receiveSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('address'), address: z.string() }).strict(),
  z.object({ mode: z.literal('xpub'), xpub: z.string() }).strict(),
])

const tokenSchema = z.object({ symbol: z.string(), address: z.string(), decimals: z.number().int(), enabled: z.boolean().optional() }).strict()

const chainSchema = z
  .object({
    chainId: z.number().int().positive(),
    name: z.string().optional(),
    testnet: z.boolean().optional(),
    rpcUrls: z.array(z.string()).optional(),
    wsUrls: z.array(z.string()).optional(),
    confirmations: z.number().int().optional(),
    pollIntervalMs: z.number().int().nullable().optional(),
    blockTimeMs: z.number().int().positive().optional(),
    explorerUrl: z.string().nullable().optional(),
    color: z.string().optional(),
    enabled: z.boolean().optional(),
    tokens: z.array(tokenSchema).optional(),
  })
  .strict()

const webhookSchema = z
  .object({
    merchantId: z.string(),
    url: z.string(),
    secret: z.string().optional(),
    events: z.array(z.string()).optional(),
    enabled: z.boolean().optional(),
  })
  .strict()

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S
const camelCase = (key: string) => key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())
const snakeCase = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)

/** Settings' own fields and rules, named as the rest of the file names things (`late_window_seconds` is `lateWindowSeconds`). */
const fileSettingsFields = Object.fromEntries(Object.entries(settingsFields).map(([key, rule]) => [camelCase(key), rule])) as {
  [K in keyof typeof settingsFields as CamelCase<K>]: (typeof settingsFields)[K]
}

export const configSchema = z
  .object({
    dataDir: z.string().min(1).optional(),
    http: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(7420),
      })
      .strict()
      .optional(),
    merchants: z
      .array(
        z
          .object({
            id: z.string(),
            name: z.string(),
            currency: z.string(),
            receive: receiveSchema,
            sessionTtlSeconds: z.number().int().optional(),
            timeZone: z.string().optional(),
            /** Printed on receipts under the name (#16): up to 4 lines ("\n"), the same rule as Settings; null removes it. */
            address: shopAddress.nullable().optional(),
          })
          .strict(),
      )
      .optional(),
    // `secret`: the key's API secret, which signs requests (#12); 32+ characters.
    apiKeys: z.array(z.object({ key: z.string(), merchantId: z.string(), secret: z.string().optional() }).strict()).optional(),
    chains: z.array(chainSchema).optional(),
    webhooks: z.array(webhookSchema).optional(),
    rates: z
      .object({
        manual: z.record(z.string(), z.string()).optional(),
        provider: z.object({ url: z.string().url() }).strict().optional(),
        maxAgeSeconds: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    lateWindowSeconds: z.number().int().min(0).max(30 * 86400).optional(),
    /**
     * Whatever Settings can set, under the file's camelCase names (`lateWindowSeconds`, `soundOnPaid`,
     * `confirmAmountAbove`, …), checked by the very rules of Settings (#15).
     */
    settings: z.object(fileSettingsFields).strict().optional(),
    /**
     * Sets the owner PIN at start (#13): a managed install's PIN, or the way back for an owner who lost both
     * the PIN and the recovery code. Whoever can edit this file owns the machine anyway.
     */
    ownerPin: z
      .string()
      .regex(/^\d{6,12}$/, 'the owner PIN must be 6-12 digits')
      .optional(),
  })
  .strict()

export type ConfigFile = z.infer<typeof configSchema>
export type WebhookConfig = z.infer<typeof webhookSchema>

export interface LoadedConfig {
  file: string
  config: ConfigFile
  /** Absolute; relative paths in the file are relative to the file itself. */
  dataDir: string
  host: string
  port: number
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

export function parseConfig(text: string, file: string): LoadedConfig {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`)
  }
  const parsed = configSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(top level)'
    throw new ConfigError(`${file}: ${where}: ${issue?.message ?? 'invalid'}`)
  }
  const config = parsed.data
  const base = dirname(resolve(file))
  const dataDir = config.dataDir ? (isAbsolute(config.dataDir) ? config.dataDir : resolve(base, config.dataDir)) : resolve(base, 'data')
  return { file, config, dataDir, host: config.http?.host ?? '127.0.0.1', port: config.http?.port ?? 7420 }
}

export function loadConfig(file: string): LoadedConfig {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
  }
  return parseConfig(text, file)
}

export interface ApplyHooks {
  /** Webhook endpoints are applied by the webhooks module, inside the same transaction. */
  webhooks?: (endpoints: WebhookConfig[]) => void
}

/**
 * Applies the file in ONE transaction: if anything in it is invalid, the
 * reason is thrown and nothing at all is written.
 */
export function applyConfig(engine: Engine, config: ConfigFile, hooks: ApplyHooks = {}): void {
  try {
    // Resolve networks first so a bad URL or address is reported before any write.
    const networks = (config.chains ?? []).map((c) => resolveNetwork(c as NetworkInput, engine.networks.find(c.chainId) ?? undefined))
    // What the file changes is in the audit log as made by `config-file` (nothing, when applied again unchanged).
    audited(engine, engine.audit, CONFIG_FILE_ACTOR, () => {
      for (const m of config.merchants ?? []) {
        engine.merchants.upsert({
          id: m.id,
          name: m.name,
          currency: m.currency,
          receive: m.receive,
          sessionTtlSeconds: m.sessionTtlSeconds,
          timeZone: m.timeZone,
          address: m.address,
        })
      }
      for (const k of config.apiKeys ?? []) {
        engine.merchants.get(k.merchantId)
        engine.apiKeys.importKey(k.merchantId, k.key, k.secret)
      }
      if (config.chains) {
        for (const n of networks) engine.networks.save(n)
        engine.networks.enableOnly(networks.map((n) => n.chain_id))
      }
      for (const [currency, rate] of Object.entries(config.rates?.manual ?? {})) {
        if (!isCurrency(currency) || currency === 'USD')
          throw new ConfigError(`rates.manual.${currency}: not a supported non-USD currency`)
        engine.rates.setManual(currency, rate)
      }
      if (config.settings)
        engine.settings.update(Object.fromEntries(Object.entries(config.settings).map(([key, value]) => [snakeCase(key), value])) as Partial<AppSettings>)
      if (config.webhooks) {
        for (const w of config.webhooks) engine.merchants.get(w.merchantId)
        hooks.webhooks?.(config.webhooks)
      }
      if (config.ownerPin !== undefined) engine.owner.applyConfigPin(config.ownerPin)
    })
  } catch (error) {
    if (error instanceof EngineError) throw new ConfigError(`${error.param ? `${error.param}: ` : ''}${error.message}`)
    if (error instanceof Error && !(error instanceof ConfigError)) throw new ConfigError(error.message)
    throw error
  }
}
