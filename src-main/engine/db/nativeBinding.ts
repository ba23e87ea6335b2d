/**
 * Which compiled better-sqlite3 the process loads. Node (tests, serve mode)
 * keeps the package's own build; the Electron shell sets the Electron-ABI
 * build once, before the database is opened (src-main/electron/sqliteBinding.ts).
 * Worker threads get it through their workerData, so every connection in the
 * process loads the same build.
 */
let chosen: string | undefined

/** Set by the shell before anything opens SQLite; undefined goes back to the package's own build. */
export function useNativeBinding(path: string | undefined): void {
  chosen = path
}

/** The path to give better-sqlite3's `nativeBinding` option, or undefined for its own build. */
export function nativeBinding(): string | undefined {
  return chosen
}

/** better-sqlite3 options with the chosen build added (nothing added in Node). */
export function sqliteOptions<T extends object>(options: T = {} as T): T & { nativeBinding?: string } {
  return chosen === undefined ? options : { ...options, nativeBinding: chosen }
}
