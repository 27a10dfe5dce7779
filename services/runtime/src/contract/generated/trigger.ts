// Generated from schemas/ by `npm run schemas:types`. Do not edit: change the .avsc and regenerate.
/* eslint-disable @typescript-eslint/no-namespace */

export type Trigger = Opstream.Trigger;

export namespace Opstream {
    export const TriggerSchema = "{\"type\":\"record\",\"name\":\"Trigger\",\"namespace\":\"opstream\",\"doc\":\"A user stalled at a step longer than a rule allows; for marketing automation.\",\"fields\":[{\"name\":\"trigger_id\",\"type\":{\"type\":\"string\",\"logicalType\":\"uuid\"}},{\"name\":\"rule\",\"type\":\"string\"},{\"name\":\"person_key\",\"type\":\"string\"},{\"name\":\"user_id\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"anonymous_id\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"stalled_step\",\"type\":\"string\"},{\"name\":\"since\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"},\"doc\":\"When the user reached the step.\"},{\"name\":\"fired_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},{\"name\":\"deadline\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}],\"default\":null,\"doc\":\"When the chance runs out (a gift that expires).\"},{\"name\":\"acquisition_channel\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"properties\",\"type\":{\"type\":\"map\",\"values\":\"string\"},\"default\":{}}]}";
    export const TriggerName = "opstream.Trigger";
    /**
     * A user stalled at a step longer than a rule allows; for marketing automation.
     */
    export interface Trigger {
        trigger_id: string;
        rule: string;
        person_key: string;
        /**
         * Default: null
         */
        user_id: null | string;
        /**
         * Default: null
         */
        anonymous_id: null | string;
        stalled_step: string;
        /**
         * When the user reached the step.
         */
        since: Date;
        fired_at: Date;
        /**
         * When the chance runs out (a gift that expires).
         *
         * Default: null
         */
        deadline: null | Date;
        /**
         * Default: null
         */
        acquisition_channel: null | string;
        /**
         * Default: {}
         */
        properties: {
            [index: string]: string;
        };
    }
}
