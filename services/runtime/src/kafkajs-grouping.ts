/**
 * kafkajs 2.2.4 (its last release) groups the messages of a send by partition with
 * `Object.assign(result, { [p]: [...current, message] })`: every message copies its
 * partition's array so far, quadratic in the messages per partition, and it showed as 7 % of
 * the enrich stages' CPU. This module puts a linear grouping with the same contract in
 * Node's module cache under that file's name before kafkajs loads it, so kafkajs's producer
 * picks it up; it must be imported before kafkajs (kafka-adapter.ts does). Should kafkajs
 * ever come without the file, nothing is replaced.
 */
import { createRequire, Module } from 'node:module'

type Partitioner = (args: { topic: string; partitionMetadata: unknown[]; message: unknown }) => number

function groupMessagesPerPartition(args: {
  topic: string
  partitionMetadata: unknown[]
  messages: unknown[]
  partitioner: Partitioner
}): Record<number, unknown[]> {
  const { topic, partitionMetadata, messages, partitioner } = args
  const result: Record<number, unknown[]> = {}
  if (partitionMetadata.length === 0) return result
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message })
    const current = result[partition]
    if (current) current.push(message)
    else result[partition] = [message]
  }
  return result
}

const require = createRequire(import.meta.url)
let path: string | undefined
try {
  path = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js')
} catch {
  path = undefined
}
if (path !== undefined && require.cache[path] === undefined) {
  const replaced = new Module(path)
  replaced.filename = path
  replaced.loaded = true
  replaced.exports = groupMessagesPerPartition
  require.cache[path] = replaced
}

/** Whether kafkajs's producer groups messages with the function above. */
export function groupingReplaced(): boolean {
  const groups = path === undefined ? undefined : require.cache[path]?.exports
  return groups === groupMessagesPerPartition
}
