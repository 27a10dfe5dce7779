// Generated from schemas/ by `npm run schemas:types`. Do not edit: change the .avsc and regenerate.
/* eslint-disable @typescript-eslint/no-namespace */

export type Channel = Opstream.Channel;

export namespace Opstream {
    export const ChannelCostSchema = "{\"type\":\"record\",\"name\":\"ChannelCost\",\"doc\":\"Cost of one day.\",\"fields\":[{\"name\":\"date\",\"type\":\"string\",\"doc\":\"ISO date, YYYY-MM-DD.\"},{\"name\":\"amount\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":18,\"scale\":4}},{\"name\":\"currency\",\"type\":\"string\",\"default\":\"CNY\"}]}";
    export const ChannelCostName = "opstream.ChannelCost";
    /**
     * Cost of one day.
     */
    export interface ChannelCost {
        /**
         * ISO date, YYYY-MM-DD.
         */
        date: string;
        amount: string;
        /**
         * Default: "CNY"
         */
        currency: string;
    }
    export const ChannelSchema = "{\"type\":\"record\",\"name\":\"Channel\",\"namespace\":\"opstream\",\"doc\":\"Channel catalog entry on the compacted channels topic keyed by code: what a campaign or channel code means, who owns it, and what it cost per day.\",\"fields\":[{\"name\":\"code\",\"type\":\"string\",\"doc\":\"Campaign or channel code (utm_campaign, download channel, ...).\"},{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"channel_group\",\"type\":\"string\"},{\"name\":\"owner\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"costs\",\"type\":{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"ChannelCost\",\"doc\":\"Cost of one day.\",\"fields\":[{\"name\":\"date\",\"type\":\"string\",\"doc\":\"ISO date, YYYY-MM-DD.\"},{\"name\":\"amount\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":18,\"scale\":4}},{\"name\":\"currency\",\"type\":\"string\",\"default\":\"CNY\"}]}},\"default\":[]},{\"name\":\"updated_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}}]}";
    export const ChannelName = "opstream.Channel";
    /**
     * Channel catalog entry on the compacted channels topic keyed by code: what a campaign or channel code means, who owns it, and what it cost per day.
     */
    export interface Channel {
        /**
         * Campaign or channel code (utm_campaign, download channel, ...).
         */
        code: string;
        name: string;
        channel_group: string;
        /**
         * Default: null
         */
        owner: null | string;
        /**
         * Default: []
         */
        costs: Opstream.ChannelCost[];
        updated_at: Date;
    }
}
