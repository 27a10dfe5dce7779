// Generated from schemas/ by `npm run schemas:types`. Do not edit: change the .avsc and regenerate.
/* eslint-disable @typescript-eslint/no-namespace */

export type UserProfile = Opstream.UserProfile;

export namespace Opstream {
    export const UserProfileSchema = "{\"type\":\"record\",\"name\":\"UserProfile\",\"namespace\":\"opstream\",\"doc\":\"Current attributes of a platform user, on the compacted users topic keyed by user_id. A tombstone (null value) deletes the user.\",\"fields\":[{\"name\":\"user_id\",\"type\":\"string\"},{\"name\":\"member_tier\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"city\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"province\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"birthday\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"ISO date, YYYY-MM-DD.\"},{\"name\":\"gender\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"asset_band\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Asset bracket as the platform defines it.\"},{\"name\":\"registered_at\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}],\"default\":null},{\"name\":\"updated_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},{\"name\":\"custom\",\"type\":{\"type\":\"map\",\"values\":\"string\"},\"default\":{}}]}";
    export const UserProfileName = "opstream.UserProfile";
    /**
     * Current attributes of a platform user, on the compacted users topic keyed by user_id. A tombstone (null value) deletes the user.
     */
    export interface UserProfile {
        user_id: string;
        /**
         * Default: null
         */
        member_tier: null | string;
        /**
         * Default: null
         */
        city: null | string;
        /**
         * Default: null
         */
        province: null | string;
        /**
         * ISO date, YYYY-MM-DD.
         *
         * Default: null
         */
        birthday: null | string;
        /**
         * Default: null
         */
        gender: null | string;
        /**
         * Asset bracket as the platform defines it.
         *
         * Default: null
         */
        asset_band: null | string;
        /**
         * Default: null
         */
        registered_at: null | Date;
        updated_at: Date;
        /**
         * Default: {}
         */
        custom: {
            [index: string]: string;
        };
    }
}
