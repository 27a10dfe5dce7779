import { avroStateCodec } from '@opstream/runtime/state-codec'
import type { StateCodec } from '@opstream/runtime/state-store'
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

export function deviceStateCodec(): StateCodec<StoredDevice> {
  return avroStateCodec<StoredDevice>({
    version: 1,
    schema: {
      type: 'record',
      name: 'DeviceState',
      namespace: 'opstream.enrich',
      fields: [
        { name: 'lastEventAt', type: 'long' },
        { name: 'sessionIndex', type: 'int' },
        { name: 'sessionStartedAt', type: 'long' },
        { name: 'sessionChannel', type: channelInfo },
        { name: 'firstTouch', type: touchAt },
        { name: 'lastNonDirect', type: nullable('TouchAt') },
        { name: 'userId', type: nullable('string') },
      ],
    } as never,
  })
}
