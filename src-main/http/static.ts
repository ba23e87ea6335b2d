import { readFile, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'
import { sendPage } from './respond'

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
}

/**
 * The built renderer (`out/renderer`), with the single-page-app fallback:
 * a path without a file extension (`/customer`) gets index.html and the
 * renderer's router takes it from there. A missing file WITH an extension is
 * a real 404, so a broken asset link is not masked by HTML.
 */
export function createStatic(rendererDir: string): (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<void> {
  const root = resolve(rendererDir)
  const indexFile = join(root, 'index.html')

  const send = async (req: IncomingMessage, res: ServerResponse, file: string, size: number) => {
    const ext = extname(file).toLowerCase()
    const headers: Record<string, string> = {
      'Content-Type': TYPES[ext] ?? 'application/octet-stream',
      'Content-Length': String(size),
      // Vite fingerprints everything under assets/; the HTML that names them must always be re-checked.
      'Cache-Control': file.startsWith(join(root, 'assets') + sep) ? 'private, max-age=31536000, immutable' : 'no-cache',
    }
    if (req.method === 'HEAD') {
      res.writeHead(200, headers)
      res.end()
      return
    }
    const content = await readFile(file)
    headers['Content-Length'] = String(content.length)
    res.writeHead(200, headers)
    res.end(content)
  }

  return async (req, res, pathname) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendPage(res, 405, 'Method not allowed', [`${req.method ?? ''} is not allowed here.`], { Allow: 'GET, HEAD' })
      return
    }
    let decoded: string
    try {
      decoded = decodeURIComponent(pathname)
    } catch {
      sendPage(res, 400, 'Bad request', ['The address is not valid.'])
      return
    }
    const file = resolve(root, '.' + decoded)
    // No escaping the folder (`..`, encoded or not), no NUL tricks, no dotfiles.
    const inside = file === root || file.startsWith(root + sep)
    if (!inside || decoded.includes('\0') || /(^|\/)\./.test(decoded)) {
      sendPage(res, 404, 'Not found', ['There is nothing at this address.'])
      return
    }
    const found = await stat(file).catch(() => null)
    if (found?.isFile()) {
      await send(req, res, file, found.size)
      return
    }
    if (extname(decoded) !== '' && decoded !== '/') {
      sendPage(res, 404, 'Not found', ['There is nothing at this address.'])
      return
    }
    const index = await stat(indexFile).catch(() => null)
    if (!index?.isFile()) {
      sendPage(res, 503, 'The StablePay POS screens are not built', [
        `No user interface was found in ${root}.`,
        'Run "npm run build" (or start with "npm run serve", which builds first), then reload this page.',
        'The REST API under /v1 works without it.',
      ])
      return
    }
    await send(req, res, indexFile, index.size)
  }
}
