import type { FormEvent } from 'react'
import { useEffect } from 'react'
import { Button, LanguageSwitch, NetworkName } from '../components'
import type { StringKey } from '../i18n'
import { CURRENCY_CODES, currencyName, useLanguage, useT } from '../i18n'
import { navigate, useAppStore, useOwnerStore, useSetupStore, useShopStore } from '../state'

const STEPS: StringKey[] = ['setup.shop.title', 'setup.receive.title', 'setup.networks.title', 'setup.mode.title', 'setup.pin.title']

/**
 * First run: shop and price currency, where the money goes, what customers
 * may pay with, test or live, and the owner PIN (#13). Five short screens,
 * each checked as it is filled in, so the owner is done in well under two minutes.
 */
export function SetupScreen() {
  const t = useT()
  const step = useSetupStore((s) => s.step)
  const setStep = useSetupStore((s) => s.setStep)
  const loadChains = useSetupStore((s) => s.loadChains)
  const valid = useStepValid(step)
  const saving = useSetupStore((s) => s.saving)
  const error = useSetupStore((s) => s.error)
  const finish = useSetupStore((s) => s.finish)

  useEffect(() => {
    void loadChains().catch(() => undefined)
  }, [loadChains])

  const last = step === STEPS.length - 1
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!valid || saving) return
    if (!last) return setStep(step + 1)
    const merchant = await finish()
    if (!merchant) return
    await useAppStore.getState().refreshInfo()
    await useAppStore.getState().refreshSettings()
    await useShopStore.getState().load()
    navigate('/', { replace: true })
  }

  return (
    <div className="setup">
      <header className="setup-header">
        <div>
          <h1>{t('setup.title')}</h1>
          <p className="muted">{t('setup.intro')}</p>
        </div>
        <LanguageSwitch />
      </header>
      <ol className="steps" aria-label={t('setup.step', { n: step + 1, m: STEPS.length })}>
        {STEPS.map((key, i) => (
          <li
            key={key}
            className={i === step ? 'step-current' : i < step ? 'step-done' : ''}
            aria-current={i === step ? 'step' : undefined}
          >
            <span className="step-number">{i + 1}</span>
            <span>{t(key)}</span>
          </li>
        ))}
      </ol>
      <form className="setup-card" onSubmit={(e) => void submit(e)} data-testid={`setup-step-${step + 1}`}>
        <p className="muted">{t('setup.step', { n: step + 1, m: STEPS.length })}</p>
        <h2>{t(STEPS[step]!)}</h2>
        {step === 0 ? <ShopStep /> : step === 1 ? <ReceiveStep /> : step === 2 ? <NetworksStep /> : step === 3 ? <ModeStep /> : <PinStep />}
        {error ? (
          <p className="notice notice-bad" role="alert" data-testid="setup-error">
            {error}
          </p>
        ) : null}
        <div className="setup-actions">
          {step > 0 ? (
            <Button size="lg" onClick={() => setStep(step - 1)} disabled={saving}>
              {t('action.back')}
            </Button>
          ) : (
            <span />
          )}
          <Button type="submit" variant="primary" size="lg" disabled={!valid || saving} data-testid="setup-next">
            {saving ? t('setup.saving') : last ? t('setup.finish') : t('action.next')}
          </Button>
        </div>
      </form>
    </div>
  )
}

function useStepValid(step: number): boolean {
  const s = useSetupStore()
  switch (step) {
    case 0:
      return s.name.trim().length > 0 && s.name.trim().length <= 200
    case 1:
      return s.receiveCheck.state === 'ok'
    case 2:
      return s.accept.length > 0
    case 4:
      return /^\d{6,12}$/.test(s.pin) && (s.pin === s.pinConfirm || useOwnerStore.getState().status?.pin_set === true)
    default:
      return modeProblem(s.chains, s.accept, s.livemode) === null
  }
}

function modeProblem(chains: ReturnType<typeof useSetupStore.getState>['chains'], accept: string[], livemode: boolean): StringKey | null {
  const ticked = chains.filter((c) => c.tokens.some((tok) => accept.includes(`${c.chain_id}:${tok.symbol}`)))
  if (livemode && !ticked.some((c) => !c.testnet)) return 'setup.mode.needMainnet'
  if (!livemode && !ticked.some((c) => c.testnet)) return 'setup.mode.needTestnet'
  return null
}

function ShopStep() {
  const t = useT()
  const language = useLanguage()
  const name = useSetupStore((s) => s.name)
  const currency = useSetupStore((s) => s.currency)
  const setName = useSetupStore((s) => s.setName)
  const setCurrency = useSetupStore((s) => s.setCurrency)
  return (
    <>
      <div className="field">
        <label className="field-label" htmlFor="shop-name">
          {t('setup.shop.name')}
        </label>
        <input
          id="shop-name"
          className="input"
          value={name}
          maxLength={200}
          autoFocus
          autoComplete="organization"
          placeholder={t('setup.shop.namePlaceholder')}
          onChange={(e) => setName(e.target.value)}
          data-testid="shop-name"
        />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="shop-currency">
          {t('setup.shop.currency')}
        </label>
        <select
          id="shop-currency"
          className="input"
          value={currency}
          onChange={(e) => setCurrency(e.target.value)}
          data-testid="shop-currency"
        >
          {CURRENCY_CODES.map((code) => (
            <option key={code} value={code}>
              {code} · {currencyName(code, language)}
            </option>
          ))}
        </select>
        <p className="help">{t('setup.shop.currencyHelp')}</p>
      </div>
    </>
  )
}

function ReceiveStep() {
  const t = useT()
  const mode = useSetupStore((s) => s.receiveMode)
  const text = useSetupStore((s) => s.receiveText)
  const check = useSetupStore((s) => s.receiveCheck)
  const setMode = useSetupStore((s) => s.setReceiveMode)
  const setText = useSetupStore((s) => s.setReceiveText)
  const inputId = 'receive-input'
  return (
    <>
      <div className="choice-cards" role="radiogroup">
        {(['address', 'xpub'] as const).map((m) => (
          <label key={m} className="choice-card">
            <input type="radio" name="receive-mode" checked={mode === m} onChange={() => setMode(m)} data-testid={`receive-${m}`} />
            <span>
              <strong>{t(m === 'address' ? 'setup.receive.address' : 'setup.receive.xpub')}</strong>
              <span className="help">{t(m === 'address' ? 'setup.receive.addressHelp' : 'setup.receive.xpubHelp')}</span>
            </span>
          </label>
        ))}
      </div>
      <div className="field">
        <label className="field-label" htmlFor={inputId}>
          {t(mode === 'address' ? 'setup.receive.addressLabel' : 'setup.receive.xpubLabel')}
        </label>
        <input
          id={inputId}
          className={`input mono ${check.state === 'invalid' ? 'input-invalid' : ''}`}
          value={text}
          spellCheck={false}
          autoComplete="off"
          autoFocus
          placeholder={mode === 'address' ? '0x…' : 'xpub…'}
          aria-invalid={check.state === 'invalid'}
          aria-describedby="receive-feedback"
          onChange={(e) => setText(e.target.value)}
          data-testid="receive-input"
        />
        <div id="receive-feedback" aria-live="polite" data-testid="receive-feedback" data-state={check.state}>
          {check.state === 'checking' ? <p className="help">{t('setup.receive.checking')}</p> : null}
          {check.state === 'invalid' ? <p className="field-error">{check.message}</p> : null}
          {check.state === 'ok' && mode === 'address' ? (
            <p className="field-ok">
              ✓ {t('setup.receive.valid')}
              <span className="mono break">{check.addresses[0]}</span>
            </p>
          ) : null}
          {check.state === 'ok' && mode === 'xpub' ? (
            <div className="derived">
              <p className="field-ok">✓ {t('setup.receive.derived')}</p>
              <ol className="mono derived-list" data-testid="derived-addresses">
                {check.addresses.map((a) => (
                  <li key={a}>{a}</li>
                ))}
              </ol>
            </div>
          ) : null}
        </div>
        <p className="help">{t('setup.receive.never')}</p>
      </div>
    </>
  )
}

function NetworksStep() {
  const t = useT()
  const chains = useSetupStore((s) => s.chains)
  const accept = useSetupStore((s) => s.accept)
  const toggle = useSetupStore((s) => s.toggleAccept)
  const groups: Array<{ key: StringKey; testnet: boolean }> = [
    { key: 'setup.networks.mainnets', testnet: false },
    { key: 'setup.networks.testnets', testnet: true },
  ]
  return (
    <>
      <p className="help">{t('setup.networks.help')}</p>
      {groups.map((group) => (
        <fieldset key={group.key} className="network-group">
          <legend>{t(group.key)}</legend>
          <div className="network-list">
            {chains
              .filter((c) => c.testnet === group.testnet)
              .map((c) => (
                <div key={c.chain_id} className="network-row">
                  <NetworkName name={c.name} color={c.color} className="network-row-name" />
                  <div className="network-tokens">
                    {c.tokens.map((tok) => {
                      const pair = `${c.chain_id}:${tok.symbol}`
                      return (
                        <label key={pair} className="check-card">
                          <input
                            type="checkbox"
                            checked={accept.includes(pair)}
                            onChange={() => toggle(pair)}
                            data-testid={`accept-${pair}`}
                          />
                          <span className="check-token">{tok.symbol}</span>
                        </label>
                      )
                    })}
                  </div>
                </div>
              ))}
          </div>
        </fieldset>
      ))}
      {accept.length === 0 ? <p className="field-error">{t('setup.networks.none')}</p> : null}
    </>
  )
}

function ModeStep() {
  const t = useT()
  const livemode = useSetupStore((s) => s.livemode)
  const setLivemode = useSetupStore((s) => s.setLivemode)
  const chains = useSetupStore((s) => s.chains)
  const accept = useSetupStore((s) => s.accept)
  const problem = modeProblem(chains, accept, livemode)
  return (
    <>
      <div className="choice-cards" role="radiogroup">
        {([false, true] as const).map((live) => (
          <label key={String(live)} className="choice-card">
            <input
              type="radio"
              name="mode"
              checked={livemode === live}
              onChange={() => setLivemode(live)}
              data-testid={live ? 'mode-live' : 'mode-test'}
            />
            <span>
              <strong>{t(live ? 'setup.mode.live' : 'setup.mode.test')}</strong>
              <span className="help">{t(live ? 'setup.mode.liveHelp' : 'setup.mode.testHelp')}</span>
            </span>
          </label>
        ))}
      </div>
      {problem ? <p className="field-error">{t(problem)}</p> : null}
    </>
  )
}

/** The owner PIN (#13): owner screens ask for it; the cashier sells without it. Typed twice; a recovery code follows. */
function PinStep() {
  const t = useT()
  const pin = useSetupStore((s) => s.pin)
  const pinConfirm = useSetupStore((s) => s.pinConfirm)
  const setPin = useSetupStore((s) => s.setPin)
  const setPinConfirm = useSetupStore((s) => s.setPinConfirm)
  // A PIN already set (from the config file): it is asked once, not chosen again.
  const pinSet = useOwnerStore((s) => s.status?.pin_set === true)
  const digits = (v: string) => v.replace(/\D/g, '')
  return (
    <>
      <p className="muted">{pinSet ? t('pin.unlockIntro') : t('pin.setIntro')}</p>
      <div className="field">
        <label className="field-label" htmlFor="setup-pin">
          {pinSet ? t('pin.label') : t('pin.new')}
        </label>
        <input
          id="setup-pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          className="input input-pin"
          maxLength={12}
          value={pin}
          onChange={(e) => setPin(digits(e.target.value))}
          data-testid="setup-pin"
        />
      </div>
      {pinSet ? null : (
        <div className="field">
          <label className="field-label" htmlFor="setup-pin-confirm">
            {t('pin.confirm')}
          </label>
          <input
            id="setup-pin-confirm"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            className="input input-pin"
            maxLength={12}
            value={pinConfirm}
            onChange={(e) => setPinConfirm(digits(e.target.value))}
            data-testid="setup-pin-confirm"
          />
          {pin.length > 0 && pinConfirm.length > 0 && pin !== pinConfirm ? <p className="field-error">{t('pin.mismatch')}</p> : null}
          {pin.length > 0 && !/^\d{6,12}$/.test(pin) ? <p className="help">{t('pin.format')}</p> : null}
        </div>
      )}
    </>
  )
}
