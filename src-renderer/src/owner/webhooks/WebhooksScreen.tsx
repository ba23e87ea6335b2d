import { useEffect } from 'react'
import { SecretDialog } from '../components'
import { useOwnerT } from '../i18n'
import { startOwnerFeed, useWebhooksStore } from '../state'
import { DeliveryLog } from './DeliveryLog'
import { Endpoints } from './Endpoints'

/** Webhooks: where the back office is told about payments, and the log of every delivery and attempt. */
export function WebhooksScreen() {
  const t = useOwnerT()
  const revealed = useWebhooksStore((s) => s.revealed)
  const dismissSecret = useWebhooksStore((s) => s.dismissSecret)

  useEffect(() => {
    startOwnerFeed()
    const store = useWebhooksStore.getState()
    void store.loadEndpoints()
    void store.loadDeliveries()
  }, [])

  return (
    <div className="owner owner-page" data-testid="webhooks">
      <header className="owner-head">
        <h1>{t('webhooks.title')}</h1>
        <p className="muted">{t('webhooks.intro')}</p>
      </header>
      <Endpoints />
      <DeliveryLog />
      {revealed ? (
        <SecretDialog
          title={t('webhooks.secret.title')}
          intro={
            <>
              {t('webhooks.secret.intro')} <span className="mono break">{revealed.endpoint.url}</span>
            </>
          }
          secret={revealed.secret}
          warning={t('webhooks.secret.warning')}
          copyLabel={t('action.copy')}
          copiedLabel={t('action.copied')}
          doneLabel={t('webhooks.secret.done')}
          onClose={dismissSecret}
          testId="webhook-secret"
        />
      ) : null}
    </div>
  )
}
