// Electron main-process entry (`npm start`). Serve mode's entry is src-main/serve.ts.
import { runDesktop } from './electron'

void runDesktop()
