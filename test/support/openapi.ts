/**
 * Checks an API answer against the OpenAPI document (#12): the document must
 * name the route, method and status (a 4xx/5xx falls under its `default`, the
 * Error object), and the body must parse with the zod schema the document was
 * generated from. The API tests call it on every answer they get, so a
 * response shape the document does not describe fails the test that saw it.
 */
import { isDeepStrictEqual } from 'node:util'
import type { z } from 'zod'
import type { ApiResponseSpec, ApiRouteSpec } from '../../src-main/http/apiRoutes'
import { API_ROUTES, routePattern } from '../../src-main/http/apiRoutes'
import { openApiDocument } from '../../src-main/http/openapi'
import { errorSchema } from '../../src-main/http/responseSchemas'

interface Operation {
  responses: Record<string, unknown>
}

let document: { paths: Record<string, Record<string, Operation>> } | null = null
const theDocument = () => (document ??= openApiDocument() as unknown as { paths: Record<string, Record<string, Operation>> })

/** The table entry a concrete request goes to, or null (an unknown path or method). */
export function documentedRoute(method: string, path: string): ApiRouteSpec | null {
  const pathname = new URL(path, 'http://x').pathname
  const wanted = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase()
  const routes: readonly ApiRouteSpec[] = API_ROUTES
  // The router takes the first path that matches (then answers 405 for another method): the same here.
  const first = routes.find((r) => routePattern(r.path).test(pathname))
  if (!first) return null
  return routes.find((r) => r.path === first.path && r.method === wanted) ?? null
}

/** Throws, naming the request and the first problem, when the answer is not what the document says. */
export function assertDocumented(method: string, path: string, status: number, body: unknown): void {
  const where = `${method} ${path} → ${status}`
  if (method.toUpperCase() === 'HEAD' || body === null || body === undefined) return
  let schema: z.ZodType
  if (status >= 400) {
    schema = errorSchema
  } else {
    const route = documentedRoute(method, path)
    if (!route) throw new Error(`${where}: the OpenAPI document has no such operation`)
    const operation = theDocument().paths[route.path]?.[route.method.toLowerCase()]
    if (!operation?.responses[String(status)])
      throw new Error(`${where}: the OpenAPI document does not list status ${status} for ${route.path}`)
    const response: ApiResponseSpec | undefined = (route.responses as Partial<Record<number, ApiResponseSpec>>)[status]
    if (!response) throw new Error(`${where}: the route table does not list status ${status}`)
    // A CSV report: the document says text/csv, so the answer is text, not JSON.
    if (!('schema' in response)) {
      if (typeof body !== 'string') throw new Error(`${where}: the OpenAPI document says text/csv, the answer is not text`)
      return
    }
    schema = response.schema
  }
  const parsed = schema.safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(
      `${where}: the answer does not match the OpenAPI document at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`,
    )
  }
  // zod drops keys it does not know: a field the document does not describe shows up as a difference here.
  if (!isDeepStrictEqual(parsed.data, body))
    throw new Error(`${where}: the answer has fields the OpenAPI document does not describe: ${undocumented(body, parsed.data).join(', ')}`)
}

/** Paths of keys in `sent` that `kept` lacks, e.g. "payment_options.0.extra". */
function undocumented(sent: unknown, kept: unknown, at = ''): string[] {
  if (sent === null || typeof sent !== 'object' || kept === null || typeof kept !== 'object') return []
  const out: string[] = []
  for (const [key, value] of Object.entries(sent)) {
    const path = at ? `${at}.${key}` : key
    if (!Object.hasOwn(kept, key)) out.push(path)
    else out.push(...undocumented(value, (kept as Record<string, unknown>)[key], path))
  }
  return out
}
