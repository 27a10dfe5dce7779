import { readFileSync } from 'node:fs'

const body = readFileSync('/tmp/body.json')
const auth = 'Basic ' + Buffer.from('dev-write-key:').toString('base64')
for (const conc of [8, 8]) {
  const t0 = Date.now()
  let n = 0
  const lat = []
  await Promise.all(
    Array.from({ length: conc }, async () => {
      while (Date.now() - t0 < 4000) {
        const s = performance.now()
        const r = await fetch('http://127.0.0.1:8098/v1/events', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: auth },
          body,
        })
        await r.arrayBuffer()
        lat.push(performance.now() - s)
        n++
      }
    }),
  )
  lat.sort((a, b) => a - b)
  console.log(
    conc,
    'conns',
    Math.round((n * 100) / ((Date.now() - t0) / 1000)),
    'events/s p50',
    lat[lat.length >> 1].toFixed(1),
    'p99',
    lat[Math.floor(lat.length * 0.99)].toFixed(1),
  )
}
