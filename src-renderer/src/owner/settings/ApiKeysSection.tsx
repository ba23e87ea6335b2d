import { useState } from 'react'
import type { ApiKeyInfo } from '../../../../src-preload/contract'
import { Dialog } from '../../components'
import { useLanguage } from '../../i18n'
import { useShopStore } from '../../state'
import { SecretDialog, ToneChip } from '../components'
import { useOwnerT } from '../i18n'
import { useApiKeysStore } from '../state'
import { formatShortDateTime, safeTimeZone } from '../time'

/** API keys for the back office: created (shown once), listed by hint, revoked. */
export function ApiKeysSection({ id }: { id: string }) {
  const t = useOwnerT()
  const language = useLanguage()
  const zone = safeTimeZone(useShopStore((s) => s.merchant?.time_zone))
  const keys = useApiKeysStore((s) => s.keys)
  const loaded = useApiKeysStore((s) => s.loaded)
  const error = useApiKeysStore((s) => s.error)
  const revealed = useApiKeysStore((s) => s.revealed)
  const create = useApiKeysStore((s) => s.create)
  const revoke = useApiKeysStore((s) => s.revoke)
  const dismiss = useApiKeysStore((s) => s.dismissSecret)
  const rotateSecret = useApiKeysStore((s) => s.rotateSecret)
  const setSignedOnly = useApiKeysStore((s) => s.setSignedOnly)
  const [revoking, setRevoking] = useState<ApiKeyInfo | null>(null)

  return (
    <section id={id} className="owner-card" aria-labelledby={`${id}-title`}>
      <div className="owner-card-head">
        <h2 id={`${id}-title`}>{t('settings.keys.title')}</h2>
        <div className="owner-actions">
          <button type="button" className="btn btn-secondary" onClick={() => void create(false)} data-testid="key-create-test">
            {t('settings.keys.createTest')}
          </button>
          <button type="button" className="btn btn-secondary" onClick={() => void create(true)} data-testid="key-create-live">
            {t('settings.keys.createLive')}
          </button>
        </div>
      </div>
      <p className="help">{t('settings.keys.help')}</p>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {loaded && keys.length === 0 ? <p className="muted">{t('settings.keys.none')}</p> : null}
      <ul className="owner-list owner-keys">
        {keys.map((key) => (
          <li key={key.id} className="owner-line" data-testid="api-key">
            <span className="mono">{key.hint}</span>
            <ToneChip
              tone={key.livemode ? 'neutral' : 'warn'}
              label={t(key.livemode ? 'settings.keys.mode.live' : 'settings.keys.mode.test')}
            />
            {key.revoked_at ? (
              <ToneChip tone="idle" label={t('settings.keys.revoked', { time: formatShortDateTime(key.revoked_at, zone, language) })} />
            ) : (
              <ToneChip tone="ok" label={t('settings.keys.active')} />
            )}
            <span className="help">{t('settings.keys.created', { time: formatShortDateTime(key.created_at, zone, language) })}</span>
            {key.revoked_at ? null : (
              <>
                {/* Signed requests (#12): a key made before them gets its API secret here. */}
                <button type="button" className="btn btn-secondary" onClick={() => void rotateSecret(key.id)} data-testid="key-rotate-secret">
                  {t(key.has_secret ? 'settings.keys.rotateSecret' : 'settings.keys.makeSecret')}
                </button>
                <label className="help">
                  <input
                    type="checkbox"
                    checked={key.signed_only}
                    disabled={!key.has_secret}
                    onChange={(event) => void setSignedOnly(key.id, event.currentTarget.checked)}
                    data-testid="key-signed-only"
                  />{' '}
                  {t('settings.keys.signedOnly')}
                </label>
                <button type="button" className="btn btn-danger" onClick={() => setRevoking(key)} data-testid="key-revoke">
                  {t('settings.keys.revoke')}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      {revealed?.kind === 'api_secret' ? (
        <SecretDialog
          key={`api-secret-${revealed.key.id}`}
          title={t('settings.keys.apiSecretTitle')}
          intro={t('settings.keys.apiSecretIntro', { hint: revealed.key.hint })}
          secret={revealed.secret}
          warning={t('settings.keys.apiSecretWarning')}
          copyLabel={t('action.copy')}
          copiedLabel={t('action.copied')}
          doneLabel={t('settings.keys.done')}
          onClose={dismiss}
          testId="api-key-api-secret"
        />
      ) : revealed ? (
        <SecretDialog
          key={`key-${revealed.key.id}`}
          title={t('settings.keys.secretTitle')}
          intro={t('settings.keys.secretIntro')}
          secret={revealed.secret}
          warning={t('settings.keys.warning')}
          copyLabel={t('action.copy')}
          copiedLabel={t('action.copied')}
          doneLabel={t('settings.keys.done')}
          onClose={dismiss}
          testId="api-key-secret"
        />
      ) : null}
      {revoking ? (
        <Dialog
          title={t('settings.keys.revokeTitle')}
          onClose={() => setRevoking(null)}
          actions={
            <>
              <button type="button" className="btn btn-ghost" onClick={() => setRevoking(null)}>
                {t('action.cancel')}
              </button>
              <button
                type="button"
                className="btn btn-danger"
                onClick={() => {
                  const key = revoking
                  setRevoking(null)
                  void revoke(key.id)
                }}
                data-testid="key-revoke-confirm"
              >
                {t('settings.keys.revoke')}
              </button>
            </>
          }
        >
          <p>{t('settings.keys.revokeText', { hint: revoking.hint })}</p>
        </Dialog>
      ) : null}
    </section>
  )
}
