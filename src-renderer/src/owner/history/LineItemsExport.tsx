import { useState } from 'react'
import { api, download } from '../../bridge'
import { exportHref } from '../historyQuery'
import { useOwnerT } from '../i18n'
import { canDownloadCsv, useHistoryStore } from '../state'

/** Catalog and cart (#17): the filtered sales' lines, one row per line, beside the sales export. */
export function LineItemsExport() {
  const t = useOwnerT()
  const applied = useHistoryStore((s) => s.applied)
  const [note, setNote] = useState<string | null>(null)
  const href = exportHref(applied).replace('export/sessions.csv', 'export/line-items.csv')
  return (
    <>
      <button
        type="button"
        className="btn btn-secondary"
        title={t('history.lineItemsHelp')}
        data-testid="export-line-items"
        onClick={() => {
          setNote(null)
          if (canDownloadCsv()) void download(href)
          else
            api['sessions:export-line-items-csv'](applied).then(
              (result) => setNote(result.saved ? t('history.exportSaved', { n: result.rows }) : null),
              (error: unknown) => setNote(error instanceof Error ? error.message : String(error)),
            )
        }}
      >
        ⤓ {t('history.lineItemsExport')}
      </button>
      {note ? (
        <span className="owner-export-note" role="status">
          {note}
        </span>
      ) : null}
    </>
  )
}
