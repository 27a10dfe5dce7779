/**
 * The optional containers path (OPSTREAM_TEST_STACK=containers), for machines with a Docker
 * engine: the same broker version as the jars and a ClickHouse server. The same tests run;
 * they reach ClickHouse over HTTP instead of embedded chDB.
 */
import { GenericContainer, Wait } from 'testcontainers'

export async function startContainerStack(): Promise<{
  brokers: string[]
  clickhouseUrl: string
  description: string
  stop: () => Promise<void>
}> {
  const kafkaPort = 9092
  const kafka = await new GenericContainer('apache/kafka:4.1.1')
    .withExposedPorts({ container: kafkaPort, host: kafkaPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${kafkaPort},CONTROLLER://0.0.0.0:9093`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${kafkaPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .start()
  const clickhouse = await new GenericContainer('clickhouse/clickhouse-server:25.8')
    .withExposedPorts(8123)
    .withEnvironment({ CLICKHOUSE_SKIP_USER_SETUP: '1' })
    .withWaitStrategy(Wait.forHttp('/ping', 8123))
    .start()
  const clickhouseUrl = `http://${clickhouse.getHost()}:${clickhouse.getMappedPort(8123)}`
  return {
    brokers: [`127.0.0.1:${kafkaPort}`],
    clickhouseUrl,
    description: `containers: apache/kafka:4.1.1 at 127.0.0.1:${kafkaPort}; ClickHouse server at ${clickhouseUrl}`,
    stop: async () => {
      await kafka.stop()
      await clickhouse.stop()
    },
  }
}
