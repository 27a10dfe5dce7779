import type { StateCodec } from '@opstream/runtime/state-codec'
import { avroStateCodec } from '@opstream/runtime/state-codec'
import type { StoredDevice } from './attribute-stage.ts'
import { channelInfoSchema as channelInfo, nullable } from './person-record.ts'

/** The device state's layout on the attribute stage's changelog (and in memory). */
const touchAt = {
  type: 'record',
  name: 'TouchAt',
  fields: [
    { name: 'channel', type: 'ChannelInfo' },
    { name: 'at', type: 'long' },
  ],
}

const deviceFieldsV1 = [
  { name: 'lastEventAt', type: 'long' },
  { name: 'sessionIndex', type: 'int' },
  { name: 'sessionStartedAt', type: 'long' },
  { name: 'sessionChannel', type: channelInfo },
  { name: 'firstTouch', type: touchAt },
  { name: 'lastNonDirect', type: nullable('TouchAt') },
  { name: 'userId', type: nullable('string') },
]
const deviceSchema = (fields: unknown[]) => ({
  type: 'record',
  name: 'DeviceState',
  namespace: 'opstream.enrich',
  fields,
})

/** Format 1 of the device state, still read. */
export const deviceStateSchemaV1 = deviceSchema(deviceFieldsV1)

/** Format 2 adds the link time; a format-1 device reads as linked from the start (null). */
export function deviceStateCodec(): StateCodec<StoredDevice> {
  return avroStateCodec<StoredDevice>({
    version: 2,
    schema: deviceSchema([...deviceFieldsV1, { name: 'linkedAt', type: nullable('long') }]) as never,
    previous: {
      version: 1,
      schema: deviceStateSchemaV1 as never,
      upgrade: (old) => ({ ...(old as Omit<StoredDevice, 'linkedAt'>), linkedAt: null }),
    },
  })
}
