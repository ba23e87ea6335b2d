import { useState } from 'react'
import type { ChainConfig, ChainState } from '../../../../src-preload/contract'
import { NetworkName } from '../../components'
import { SaveNote, ToneChip } from '../components'
import { useOwnerT } from '../i18n'
import { draftChanged, useNetworksStore } from '../state'
import { checkConfirmations, checkRpcList } from '../validate'
import { MAX_CONFIRMATIONS, MIN_CONFIRMATIONS } from '../../../../src-preload/shared/validate'

/** Each network: watch it or not, its RPC URLs and confirmations (checked as typed), its tokens, and whether it is online. */
export function NetworksSection({ id }: { id: string }) {
  const t = useOwnerT()
  const chains = useNetworksStore((s) => s.chains)
  const loaded = useNetworksStore((s) => s.loaded)
  const loadError = useNetworksStore((s) => s.loadError)
  const [showMore, setShowMore] = useState(false)
  // The networks in use (stored and switched on) first; the built-in others behind "more".
  const inUse = chains.filter((c) => c.enabled)
  const others = chains.filter((c) => !c.enabled)

  return (
    <section id={id} className="owner-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('settings.networks.title')}</h2>
      <p className="help">{t('settings.networks.help')}</p>
      {loadError ? (
        <p className="notice notice-bad" role="alert">
          {t('settings.loadFailed', { message: loadError })}
        </p>
      ) : !loaded ? (
        <p className="muted">{t('history.loading')}</p>
      ) : (
        <>
          {inUse.map((chain) => (
            <NetworkCard key={chain.chain_id} chain={chain} />
          ))}
          {others.length > 0 ? (
            <button type="button" className="btn btn-ghost" aria-expanded={showMore} onClick={() => setShowMore(!showMore)}>
              {t('settings.networks.more', { n: others.length })}
            </button>
          ) : null}
          {showMore ? others.map((chain) => <NetworkCard key={chain.chain_id} chain={chain} />) : null}
        </>
      )}
    </section>
  )
}

function ConnectionChip({ state, watched }: { state: ChainState | undefined; watched: boolean }) {
  const t = useOwnerT()
  if (!state || !watched) return <ToneChip tone="idle" label={t('settings.networks.state.unknown')} testId="chain-state" />
  const tone = state.connection === 'online' ? 'ok' : state.connection === 'offline' ? 'bad' : 'info'
  return <ToneChip tone={tone} label={t(`settings.networks.state.${state.connection}`)} testId="chain-state" />
}

function NetworkCard({ chain }: { chain: ChainConfig }) {
  const t = useOwnerT()
  const draft = useNetworksStore((s) => s.drafts[chain.chain_id])
  const save = useNetworksStore((s) => s.saves[chain.chain_id])
  const state = useNetworksStore((s) => s.states[chain.chain_id])
  const edit = useNetworksStore((s) => s.edit)
  const reset = useNetworksStore((s) => s.reset)
  const saveChain = useNetworksStore((s) => s.save)
  if (!draft) return null

  const rpcProblems = checkRpcList(draft.rpcText)
  const confirmations = checkConfirmations(draft.confirmations)
  const valid = rpcProblems.length === 0 && confirmations.ok
  const changed = draftChanged(chain, draft)
  const base = `network-${chain.chain_id}`

  return (
    <form
      className="owner-network-card"
      data-testid={`network-${chain.chain_id}`}
      onSubmit={(e) => {
        e.preventDefault()
        if (valid && changed) void saveChain(chain.chain_id)
      }}
    >
      <div className="owner-line owner-network-head">
        <NetworkName name={chain.name} color={chain.color} className="owner-network-name" />
        <span className="muted">#{chain.chain_id}</span>
        <ToneChip
          tone={chain.testnet ? 'warn' : 'neutral'}
          label={t(chain.testnet ? 'settings.networks.testnet' : 'settings.networks.mainnet')}
        />
        <ConnectionChip state={state} watched={chain.enabled} />
        {state && chain.enabled && state.head !== null ? (
          <span className="help">{t('settings.networks.head', { n: state.head })}</span>
        ) : null}
        {state?.pending_feed && chain.enabled ? (
          <span className="help" data-testid="pending-feed">
            {t(`settings.networks.pending.${state.pending_feed}`)}
          </span>
        ) : null}
      </div>
      {state?.last_error && chain.enabled && state.connection !== 'online' ? (
        <p className="help owner-error-text">{t('settings.networks.lastError')}</p>
      ) : null}
      <label className="owner-check">
        <input
          type="checkbox"
          checked={draft.enabled}
          onChange={(e) => edit(chain.chain_id, { enabled: e.target.checked })}
          data-testid="network-enabled"
        />
        {t('settings.networks.enabled')}
      </label>
      <label className="field" htmlFor={`${base}-rpc`}>
        <span className="field-label">{t('settings.networks.rpc')}</span>
        <textarea
          id={`${base}-rpc`}
          className={`input mono ${rpcProblems.length > 0 ? 'input-invalid' : ''}`}
          rows={Math.min(4, Math.max(1, draft.rpcText.split('\n').length))}
          value={draft.rpcText}
          onChange={(e) => edit(chain.chain_id, { rpcText: e.target.value })}
          spellCheck={false}
          aria-invalid={rpcProblems.length > 0 ? true : undefined}
          data-testid="network-rpc"
        />
        {rpcProblems.map((p, i) => (
          <p key={i} className="field-error" data-testid="network-rpc-error">
            {p.line ? <span className="mono">{p.line.length > 60 ? `${p.line.slice(0, 60)}…` : p.line}</span> : null}
            {p.line ? ': ' : ''}
            {t(`settings.networks.rpcProblem.${p.problem}`)}
          </p>
        ))}
      </label>
      <label className="field owner-field-narrow">
        <span className="field-label">{t('settings.networks.confirmations')}</span>
        <input
          className={`input ${confirmations.ok ? '' : 'input-invalid'}`}
          inputMode="numeric"
          value={draft.confirmations}
          onChange={(e) => edit(chain.chain_id, { confirmations: e.target.value })}
          aria-invalid={confirmations.ok ? undefined : true}
          data-testid="network-confirmations"
        />
        {confirmations.ok ? null : <p className="field-error">{t('settings.networks.confirmationsProblem', { min: MIN_CONFIRMATIONS, max: MAX_CONFIRMATIONS })}</p>}
      </label>
      <fieldset className="owner-events">
        <legend className="field-label">{t('settings.networks.tokens')}</legend>
        {chain.tokens.map((token) => (
          <label key={token.symbol} className="owner-check" title={token.address}>
            <input
              type="checkbox"
              checked={draft.tokens[token.symbol] ?? false}
              onChange={(e) => edit(chain.chain_id, { tokens: { ...draft.tokens, [token.symbol]: e.target.checked } })}
              data-testid={`network-token-${token.symbol}`}
            />
            <strong>{token.symbol}</strong> <span className="muted mono">{`${token.address.slice(0, 8)}…`}</span>
          </label>
        ))}
      </fieldset>
      <div className="owner-actions">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={!valid || !changed || save?.state === 'saving'}
          data-testid="network-save"
        >
          {t('settings.save')}
        </button>
        {changed ? (
          <button type="button" className="btn btn-ghost" onClick={() => reset(chain.chain_id)}>
            {t('settings.undo')}
          </button>
        ) : null}
        <SaveNote save={save} savedLabel={t('settings.saved')} savingLabel={t('settings.saving')} testId="network-save-note" />
      </div>
    </form>
  )
}
