/**
 * The read side of the Confluent Schema Registry REST API, served from the built-in registry,
 * so kcat (-s avro -r URL), ClickHouse's AvroConfluent format and Kafka Connect decode every
 * topic without a registry server:
 *
 *   GET /schemas/ids/{id}                         {"schema": "..."}
 *   GET /schemas/ids/{id}/versions                [{"subject": ..., "version": n}]
 *   GET /subjects                                 ["subject", ...]
 *   GET /subjects/{subject}/versions              [1, 2, ...]
 *   GET /subjects/{subject}/versions/{n|latest}   {"subject", "version", "id", "schema"}
 *
 * Errors use the registry's codes: 40401 subject, 40402 version, 40403 schema not found.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { SchemaCatalog } from './schema-catalog.ts'

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json'

export function registryRoutes(
  catalog: SchemaCatalog,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const parts = path
      .split('/')
      .filter((p) => p.length > 0)
      .map(decodeURIComponent)
    if (parts[0] === 'schemas' && parts[1] === 'ids' && parts[2] !== undefined) {
      const v = /^\d+$/.test(parts[2]) ? catalog.byIdOrUndefined(Number(parts[2])) : undefined
      if (!v) return send(res, 404, { error_code: 40403, message: 'Schema not found' })
      if (parts[3] === 'versions') return send(res, 200, [{ subject: v.subject, version: v.version }])
      if (parts.length === 3) return send(res, 200, { schema: v.text })
      return false
    }
    if (parts[0] !== 'subjects') return false
    if (parts.length === 1) return send(res, 200, catalog.subjects())
    const subject = parts[1] as string
    const versions = catalog.versions(subject)
    if (versions.length === 0)
      return send(res, 404, { error_code: 40401, message: `Subject '${subject}' not found.` })
    if (parts[2] !== 'versions') return false
    if (parts.length === 3)
      return send(
        res,
        200,
        versions.map((v) => v.version),
      )
    const wanted = parts[3] as string
    if (wanted !== 'latest' && !/^\d+$/.test(wanted)) {
      return send(res, 422, {
        error_code: 42202,
        message: 'The specified version is not a valid version id.',
      })
    }
    const v = catalog.get(subject, wanted === 'latest' ? 'latest' : Number(wanted))
    if (!v) return send(res, 404, { error_code: 40402, message: `Version ${wanted} not found.` })
    if (parts[4] === 'schema') return sendRaw(res, v.text)
    return send(res, 200, { subject: v.subject, version: v.version, id: v.id, schema: v.text })
  }
}

function send(res: ServerResponse, status: number, body: unknown): true {
  res.statusCode = status
  res.setHeader('content-type', CONTENT_TYPE)
  res.end(JSON.stringify(body))
  return true
}

function sendRaw(res: ServerResponse, text: string): true {
  res.statusCode = 200
  res.setHeader('content-type', CONTENT_TYPE)
  res.end(text)
  return true
}
