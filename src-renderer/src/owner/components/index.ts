// The owner screens' own small components (the shared ones are in ../../components).
export { Drawer } from './Drawer'
export { SecretDialog } from './SecretDialog'
export { Tabs } from './Tabs'
export { SaveNote } from './SaveNote'
export { ExplorerLink, shortHash } from './ExplorerLink'
export { SessionStatusChip, sessionTone, ToneChip } from './SessionStatusChip'
export { CopyButton } from './CopyButton'
export { useChainsById } from './useChains'
