import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef } from 'react'

/** Fixed row height: the virtualiser needs no measuring, and 52 px stays a comfortable touch target. */
const ROW_HEIGHT = 52

/**
 * A virtualised list that asks for the next page before the owner reaches the
 * end: only the visible rows are in the page, however many are loaded.
 */
export function usePagedRows(options: {
  rows: number
  /** One extra row at the end (a "loading…" row) while more may come. */
  trailingRow: boolean
  canLoadMore: boolean
  loadMore: () => void
  /** How many rows before the end the next page is asked for. */
  prefetchRows: number
}) {
  const { rows, trailingRow, canLoadMore, loadMore, prefetchRows } = options
  const scrollRef = useRef<HTMLDivElement>(null)
  // The React Compiler leaves this hook unmemoised because of TanStack Virtual's API; we do not rely on it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows + (trailingRow ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  })
  const items = virtualizer.getVirtualItems()
  const lastIndex = items[items.length - 1]?.index ?? 0
  useEffect(() => {
    if (canLoadMore && lastIndex >= rows - prefetchRows) loadMore()
  }, [canLoadMore, lastIndex, rows, prefetchRows, loadMore])
  return { scrollRef, virtualizer, items }
}
