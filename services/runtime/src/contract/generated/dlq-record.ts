// Generated from schemas/ by `npm run schemas:types`. Do not edit: change the .avsc and regenerate.
/* eslint-disable @typescript-eslint/no-namespace */

export type DlqRecord = Opstream.DlqRecord;

export namespace Opstream {
    export const DlqRecordSchema = "{\"type\":\"record\",\"name\":\"DlqRecord\",\"namespace\":\"opstream\",\"doc\":\"A rejected message: the original bytes, why, and where it came from.\",\"fields\":[{\"name\":\"original_key\",\"type\":[\"null\",\"bytes\"],\"default\":null},{\"name\":\"original_value\",\"type\":[\"null\",\"bytes\"],\"default\":null},{\"name\":\"reason\",\"type\":\"string\"},{\"name\":\"error_kind\",\"type\":\"string\",\"doc\":\"Machine-readable kind: bad_magic_byte, unknown_schema_id, truncated, invalid_payload, validation, ...\"},{\"name\":\"source_topic\",\"type\":\"string\",\"doc\":\"Topic, or \\\"http\\\" for events rejected by ingest.\"},{\"name\":\"source_partition\",\"type\":\"int\",\"default\":-1},{\"name\":\"source_offset\",\"type\":\"long\",\"default\":-1},{\"name\":\"service\",\"type\":\"string\"},{\"name\":\"failed_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},{\"name\":\"headers\",\"type\":{\"type\":\"map\",\"values\":\"string\"},\"default\":{}}]}";
    export const DlqRecordName = "opstream.DlqRecord";
    /**
     * A rejected message: the original bytes, why, and where it came from.
     */
    export interface DlqRecord {
        /**
         * Default: null
         */
        original_key: null | Buffer;
        /**
         * Default: null
         */
        original_value: null | Buffer;
        reason: string;
        /**
         * Machine-readable kind: bad_magic_byte, unknown_schema_id, truncated, invalid_payload, validation, ...
         */
        error_kind: string;
        /**
         * Topic, or "http" for events rejected by ingest.
         */
        source_topic: string;
        /**
         * Default: -1
         */
        source_partition: number;
        /**
         * Default: -1
         */
        source_offset: number;
        service: string;
        failed_at: Date;
        /**
         * Default: {}
         */
        headers: {
            [index: string]: string;
        };
    }
}
