/** The Content-Type ClickHouse's HTTP interface sends with a result in a format. */
export function contentTypeOf(format: string): string {
  const f = format.toLowerCase()
  if (f.startsWith('tabseparated') || f.startsWith('tsv')) return 'text/tab-separated-values; charset=UTF-8'
  if (f.startsWith('csv')) return 'text/csv; charset=UTF-8'
  if (f.endsWith('eachrow') && f.startsWith('json')) return 'application/x-ndjson; charset=UTF-8'
  if (f.startsWith('json')) return 'application/json; charset=UTF-8'
  if (f === 'xml') return 'application/xml; charset=UTF-8'
  if (/^(rowbinary|native|parquet|arrow|arrowstream|avro|orc|protobuf|msgpack|capnproto|bson|npy)/.test(f))
    return 'application/octet-stream'
  return 'text/plain; charset=UTF-8'
}
