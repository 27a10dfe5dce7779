// Generated from schemas/ by `npm run schemas:types`. Do not edit: change the .avsc and regenerate.
/* eslint-disable @typescript-eslint/no-namespace */

export type EnrichedEvent = Opstream.EnrichedEvent;

export namespace Opstream {
    export const PlatformSchema = "{\"type\":\"enum\",\"name\":\"Platform\",\"symbols\":[\"web\",\"h5\",\"ios\",\"android\",\"miniprogram\",\"server\",\"other\"],\"default\":\"other\"}";
    export const PlatformName = "opstream.Platform";
    export type Platform = "web" | "h5" | "ios" | "android" | "miniprogram" | "server" | "other";
    export const AppSchema = "{\"type\":\"record\",\"name\":\"App\",\"doc\":\"Where the event came from.\",\"fields\":[{\"name\":\"platform\",\"type\":{\"type\":\"enum\",\"name\":\"Platform\",\"symbols\":[\"web\",\"h5\",\"ios\",\"android\",\"miniprogram\",\"server\",\"other\"],\"default\":\"other\"}},{\"name\":\"app_id\",\"type\":\"string\",\"doc\":\"Which app or site sent it (one write key per app).\"},{\"name\":\"app_version\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
    export const AppName = "opstream.App";
    /**
     * Where the event came from.
     */
    export interface App {
        platform: Opstream.Platform;
        /**
         * Which app or site sent it (one write key per app).
         */
        app_id: string;
        /**
         * Default: null
         */
        app_version: null | string;
    }
    export const PageSchema = "{\"type\":\"record\",\"name\":\"Page\",\"doc\":\"Page or screen context.\",\"fields\":[{\"name\":\"url\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"path\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"referrer\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"title\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
    export const PageName = "opstream.Page";
    /**
     * Page or screen context.
     */
    export interface Page {
        /**
         * Default: null
         */
        url: null | string;
        /**
         * Default: null
         */
        path: null | string;
        /**
         * Default: null
         */
        referrer: null | string;
        /**
         * Default: null
         */
        title: null | string;
    }
    export const CampaignSchema = "{\"type\":\"record\",\"name\":\"Campaign\",\"doc\":\"Campaign parameters from the landing URL or the app attribution SDK.\",\"fields\":[{\"name\":\"utm_source\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"utm_medium\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"utm_campaign\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"utm_term\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"utm_content\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"gclid\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Google Ads click id.\"},{\"name\":\"bd_vid\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Baidu OCPC click id.\"},{\"name\":\"gdt_vid\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Tencent ads click id.\"},{\"name\":\"qz_gdt\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Tencent ads (Qzone) click id.\"},{\"name\":\"clickid\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Ocean Engine (Toutiao / Douyin) click id.\"},{\"name\":\"ttclid\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"TikTok ads click id.\"},{\"name\":\"msclkid\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Microsoft Ads click id.\"},{\"name\":\"other_click_ids\",\"type\":{\"type\":\"map\",\"values\":\"string\"},\"doc\":\"Any other click id parameter, by parameter name.\",\"default\":{}}]}";
    export const CampaignName = "opstream.Campaign";
    /**
     * Campaign parameters from the landing URL or the app attribution SDK.
     */
    export interface Campaign {
        /**
         * Default: null
         */
        utm_source: null | string;
        /**
         * Default: null
         */
        utm_medium: null | string;
        /**
         * Default: null
         */
        utm_campaign: null | string;
        /**
         * Default: null
         */
        utm_term: null | string;
        /**
         * Default: null
         */
        utm_content: null | string;
        /**
         * Google Ads click id.
         *
         * Default: null
         */
        gclid: null | string;
        /**
         * Baidu OCPC click id.
         *
         * Default: null
         */
        bd_vid: null | string;
        /**
         * Tencent ads click id.
         *
         * Default: null
         */
        gdt_vid: null | string;
        /**
         * Tencent ads (Qzone) click id.
         *
         * Default: null
         */
        qz_gdt: null | string;
        /**
         * Ocean Engine (Toutiao / Douyin) click id.
         *
         * Default: null
         */
        clickid: null | string;
        /**
         * TikTok ads click id.
         *
         * Default: null
         */
        ttclid: null | string;
        /**
         * Microsoft Ads click id.
         *
         * Default: null
         */
        msclkid: null | string;
        /**
         * Any other click id parameter, by parameter name.
         *
         * Default: {}
         */
        other_click_ids: {
            [index: string]: string;
        };
    }
    export const DeviceSchema = "{\"type\":\"record\",\"name\":\"Device\",\"doc\":\"Device context.\",\"fields\":[{\"name\":\"os\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"os_version\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"model\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"manufacturer\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"user_agent\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"screen_width\",\"type\":[\"null\",\"int\"],\"default\":null},{\"name\":\"screen_height\",\"type\":[\"null\",\"int\"],\"default\":null}]}";
    export const DeviceName = "opstream.Device";
    /**
     * Device context.
     */
    export interface Device {
        /**
         * Default: null
         */
        os: null | string;
        /**
         * Default: null
         */
        os_version: null | string;
        /**
         * Default: null
         */
        model: null | string;
        /**
         * Default: null
         */
        manufacturer: null | string;
        /**
         * Default: null
         */
        user_agent: null | string;
        /**
         * Default: null
         */
        screen_width: null | number;
        /**
         * Default: null
         */
        screen_height: null | number;
    }
    export const PageViewSchema = "{\"type\":\"record\",\"name\":\"PageView\",\"doc\":\"page_view payload.\",\"fields\":[{\"name\":\"duration_ms\",\"type\":[\"null\",\"long\"],\"default\":null},{\"name\":\"content_id\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"The content (article, product, video) the page shows: a page view with one is a read of it.\"},{\"name\":\"content_type\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
    export const PageViewName = "opstream.PageView";
    /**
     * page_view payload.
     */
    export interface PageView {
        /**
         * Default: null
         */
        duration_ms: null | number;
        /**
         * The content (article, product, video) the page shows: a page view with one is a read of it.
         *
         * Default: null
         */
        content_id: null | string;
        /**
         * Default: null
         */
        content_type: null | string;
    }
    export const ClickSchema = "{\"type\":\"record\",\"name\":\"Click\",\"doc\":\"click payload.\",\"fields\":[{\"name\":\"element_id\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"element_text\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"target_url\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"content_id\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"The content clicked: with an impression of it, a click-through.\"},{\"name\":\"placement\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Where it was shown: feed, banner, search, ...\"},{\"name\":\"position\",\"type\":[\"null\",\"int\"],\"default\":null}]}";
    export const ClickName = "opstream.Click";
    /**
     * click payload.
     */
    export interface Click {
        /**
         * Default: null
         */
        element_id: null | string;
        /**
         * Default: null
         */
        element_text: null | string;
        /**
         * Default: null
         */
        target_url: null | string;
        /**
         * The content clicked: with an impression of it, a click-through.
         *
         * Default: null
         */
        content_id: null | string;
        /**
         * Where it was shown: feed, banner, search, ...
         *
         * Default: null
         */
        placement: null | string;
        /**
         * Default: null
         */
        position: null | number;
    }
    export const ImpressionSchema = "{\"type\":\"record\",\"name\":\"Impression\",\"doc\":\"impression payload: a piece of content shown.\",\"fields\":[{\"name\":\"content_id\",\"type\":\"string\"},{\"name\":\"content_type\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"placement\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Where it was shown: feed, banner, search, ...\"},{\"name\":\"position\",\"type\":[\"null\",\"int\"],\"default\":null,\"doc\":\"Its position in the list, from 1.\"}]}";
    export const ImpressionName = "opstream.Impression";
    /**
     * impression payload: a piece of content shown.
     */
    export interface Impression {
        content_id: string;
        /**
         * Default: null
         */
        content_type: null | string;
        /**
         * Where it was shown: feed, banner, search, ...
         *
         * Default: null
         */
        placement: null | string;
        /**
         * Its position in the list, from 1.
         *
         * Default: null
         */
        position: null | number;
    }
    export const ShareSchema = "{\"type\":\"record\",\"name\":\"Share\",\"doc\":\"share payload: a piece of content shared.\",\"fields\":[{\"name\":\"content_id\",\"type\":\"string\"},{\"name\":\"content_type\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"share_channel\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"wechat_friend, wechat_moments, weibo, qq, link, ...\"}]}";
    export const ShareName = "opstream.Share";
    /**
     * share payload: a piece of content shared.
     */
    export interface Share {
        content_id: string;
        /**
         * Default: null
         */
        content_type: null | string;
        /**
         * wechat_friend, wechat_moments, weibo, qq, link, ...
         *
         * Default: null
         */
        share_channel: null | string;
    }
    export const RegisterSchema = "{\"type\":\"record\",\"name\":\"Register\",\"doc\":\"register payload.\",\"fields\":[{\"name\":\"method\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"phone, wechat, email, ...\"},{\"name\":\"invite_code\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
    export const RegisterName = "opstream.Register";
    /**
     * register payload.
     */
    export interface Register {
        /**
         * phone, wechat, email, ...
         *
         * Default: null
         */
        method: null | string;
        /**
         * Default: null
         */
        invite_code: null | string;
    }
    export const LoginSchema = "{\"type\":\"record\",\"name\":\"Login\",\"doc\":\"login payload.\",\"fields\":[{\"name\":\"method\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
    export const LoginName = "opstream.Login";
    /**
     * login payload.
     */
    export interface Login {
        /**
         * Default: null
         */
        method: null | string;
    }
    export const RealNameVerifiedSchema = "{\"type\":\"record\",\"name\":\"RealNameVerified\",\"doc\":\"real_name_verified payload.\",\"fields\":[{\"name\":\"provider\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
    export const RealNameVerifiedName = "opstream.RealNameVerified";
    /**
     * real_name_verified payload.
     */
    export interface RealNameVerified {
        /**
         * Default: null
         */
        provider: null | string;
    }
    export const BindCardSchema = "{\"type\":\"record\",\"name\":\"BindCard\",\"doc\":\"bind_card payload.\",\"fields\":[{\"name\":\"bank\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"card_type\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
    export const BindCardName = "opstream.BindCard";
    /**
     * bind_card payload.
     */
    export interface BindCard {
        /**
         * Default: null
         */
        bank: null | string;
        /**
         * Default: null
         */
        card_type: null | string;
    }
    export const RechargeSchema = "{\"type\":\"record\",\"name\":\"Recharge\",\"doc\":\"recharge payload.\",\"fields\":[{\"name\":\"amount\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":18,\"scale\":4}},{\"name\":\"currency\",\"type\":\"string\",\"default\":\"CNY\"}]}";
    export const RechargeName = "opstream.Recharge";
    /**
     * recharge payload.
     */
    export interface Recharge {
        amount: string;
        /**
         * Default: "CNY"
         */
        currency: string;
    }
    export const PurchaseSchema = "{\"type\":\"record\",\"name\":\"Purchase\",\"doc\":\"invest and order payload.\",\"fields\":[{\"name\":\"order_id\",\"type\":\"string\"},{\"name\":\"amount\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":18,\"scale\":4}},{\"name\":\"currency\",\"type\":\"string\",\"default\":\"CNY\"},{\"name\":\"product_id\",\"type\":\"string\"},{\"name\":\"product_type\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"term_days\",\"type\":[\"null\",\"int\"],\"default\":null},{\"name\":\"coupon_id\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
    export const PurchaseName = "opstream.Purchase";
    /**
     * invest and order payload.
     */
    export interface Purchase {
        order_id: string;
        amount: string;
        /**
         * Default: "CNY"
         */
        currency: string;
        product_id: string;
        /**
         * Default: null
         */
        product_type: null | string;
        /**
         * Default: null
         */
        term_days: null | number;
        /**
         * Default: null
         */
        coupon_id: null | string;
    }
    export const WithdrawSchema = "{\"type\":\"record\",\"name\":\"Withdraw\",\"doc\":\"withdraw payload.\",\"fields\":[{\"name\":\"amount\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":18,\"scale\":4}},{\"name\":\"currency\",\"type\":\"string\",\"default\":\"CNY\"}]}";
    export const WithdrawName = "opstream.Withdraw";
    /**
     * withdraw payload.
     */
    export interface Withdraw {
        amount: string;
        /**
         * Default: "CNY"
         */
        currency: string;
    }
    export const CouponSchema = "{\"type\":\"record\",\"name\":\"Coupon\",\"doc\":\"coupon_issued and coupon_used payload.\",\"fields\":[{\"name\":\"coupon_id\",\"type\":\"string\"},{\"name\":\"coupon_type\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"value\",\"type\":[\"null\",{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":18,\"scale\":4}],\"default\":null},{\"name\":\"expires_at\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}],\"default\":null}]}";
    export const CouponName = "opstream.Coupon";
    /**
     * coupon_issued and coupon_used payload.
     */
    export interface Coupon {
        coupon_id: string;
        /**
         * Default: null
         */
        coupon_type: null | string;
        /**
         * Default: null
         */
        value: null | string;
        /**
         * Default: null
         */
        expires_at: null | Date;
    }
    export const GiftSchema = "{\"type\":\"record\",\"name\":\"Gift\",\"doc\":\"gift_issued and gift_used payload.\",\"fields\":[{\"name\":\"gift_id\",\"type\":\"string\"},{\"name\":\"gift_type\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"value\",\"type\":[\"null\",{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":18,\"scale\":4}],\"default\":null},{\"name\":\"expires_at\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}],\"default\":null}]}";
    export const GiftName = "opstream.Gift";
    /**
     * gift_issued and gift_used payload.
     */
    export interface Gift {
        gift_id: string;
        /**
         * Default: null
         */
        gift_type: null | string;
        /**
         * Default: null
         */
        value: null | string;
        /**
         * Default: null
         */
        expires_at: null | Date;
    }
    export const AppInstallSchema = "{\"type\":\"record\",\"name\":\"AppInstall\",\"doc\":\"app_install payload.\",\"fields\":[{\"name\":\"store\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"App store, e.g. appstore, huawei, xiaomi, oppo, vivo, yingyongbao.\"},{\"name\":\"download_channel\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Channel package the app was downloaded from.\"}]}";
    export const AppInstallName = "opstream.AppInstall";
    /**
     * app_install payload.
     */
    export interface AppInstall {
        /**
         * App store, e.g. appstore, huawei, xiaomi, oppo, vivo, yingyongbao.
         *
         * Default: null
         */
        store: null | string;
        /**
         * Channel package the app was downloaded from.
         *
         * Default: null
         */
        download_channel: null | string;
    }
    export const EventSchema = "{\"type\":\"record\",\"name\":\"Event\",\"namespace\":\"opstream\",\"doc\":\"One behaviour or business event as published by a platform app or back-end service. event_id is the idempotency key: a re-sent event with the same id never changes a number.\",\"fields\":[{\"name\":\"event_id\",\"type\":{\"type\":\"string\",\"logicalType\":\"uuid\"},\"doc\":\"UUID chosen by the client (kept) or by ingest; the idempotency key.\"},{\"name\":\"event\",\"type\":\"string\",\"doc\":\"Event name: a standard name (page_view, click, impression, share, register, login, real_name_verified, bind_card, recharge, invest, order, withdraw, coupon_issued, coupon_used, gift_issued, gift_used, app_install) or a custom one.\"},{\"name\":\"occurred_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"},\"doc\":\"When it happened, by the client clock (corrected for skew by ingest where sent_at is known).\"},{\"name\":\"received_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"},\"doc\":\"When ingest received it, by the server clock.\"},{\"name\":\"sent_at\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}],\"default\":null,\"doc\":\"When the client sent the batch, by the client clock.\"},{\"name\":\"anonymous_id\",\"type\":\"string\",\"doc\":\"Device or browser id; the partition key of events.raw.\"},{\"name\":\"user_id\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Platform user id, once known (after register or login).\"},{\"name\":\"session_id\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Client-side session id, when the app keeps one.\"},{\"name\":\"app\",\"type\":{\"type\":\"record\",\"name\":\"App\",\"doc\":\"Where the event came from.\",\"fields\":[{\"name\":\"platform\",\"type\":{\"type\":\"enum\",\"name\":\"Platform\",\"symbols\":[\"web\",\"h5\",\"ios\",\"android\",\"miniprogram\",\"server\",\"other\"],\"default\":\"other\"}},{\"name\":\"app_id\",\"type\":\"string\",\"doc\":\"Which app or site sent it (one write key per app).\"},{\"name\":\"app_version\",\"type\":[\"null\",\"string\"],\"default\":null}]}},{\"name\":\"page\",\"type\":{\"type\":\"record\",\"name\":\"Page\",\"doc\":\"Page or screen context.\",\"fields\":[{\"name\":\"url\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"path\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"referrer\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"title\",\"type\":[\"null\",\"string\"],\"default\":null}]}},{\"name\":\"campaign\",\"type\":{\"type\":\"record\",\"name\":\"Campaign\",\"doc\":\"Campaign parameters from the landing URL or the app attribution SDK.\",\"fields\":[{\"name\":\"utm_source\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"utm_medium\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"utm_campaign\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"utm_term\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"utm_content\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"gclid\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Google Ads click id.\"},{\"name\":\"bd_vid\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Baidu OCPC click id.\"},{\"name\":\"gdt_vid\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Tencent ads click id.\"},{\"name\":\"qz_gdt\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Tencent ads (Qzone) click id.\"},{\"name\":\"clickid\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Ocean Engine (Toutiao / Douyin) click id.\"},{\"name\":\"ttclid\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"TikTok ads click id.\"},{\"name\":\"msclkid\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Microsoft Ads click id.\"},{\"name\":\"other_click_ids\",\"type\":{\"type\":\"map\",\"values\":\"string\"},\"doc\":\"Any other click id parameter, by parameter name.\",\"default\":{}}]}},{\"name\":\"device\",\"type\":{\"type\":\"record\",\"name\":\"Device\",\"doc\":\"Device context.\",\"fields\":[{\"name\":\"os\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"os_version\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"model\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"manufacturer\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"user_agent\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"screen_width\",\"type\":[\"null\",\"int\"],\"default\":null},{\"name\":\"screen_height\",\"type\":[\"null\",\"int\"],\"default\":null}]}},{\"name\":\"locale\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"ip\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Client IP, kept only for ingest-side geo lookup; not stored downstream.\"},{\"name\":\"page_view\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"PageView\",\"doc\":\"page_view payload.\",\"fields\":[{\"name\":\"duration_ms\",\"type\":[\"null\",\"long\"],\"default\":null},{\"name\":\"content_id\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"The content (article, product, video) the page shows: a page view with one is a read of it.\"},{\"name\":\"content_type\",\"type\":[\"null\",\"string\"],\"default\":null}]}],\"default\":null},{\"name\":\"click\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Click\",\"doc\":\"click payload.\",\"fields\":[{\"name\":\"element_id\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"element_text\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"target_url\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"content_id\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"The content clicked: with an impression of it, a click-through.\"},{\"name\":\"placement\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Where it was shown: feed, banner, search, ...\"},{\"name\":\"position\",\"type\":[\"null\",\"int\"],\"default\":null}]}],\"default\":null},{\"name\":\"impression\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Impression\",\"doc\":\"impression payload: a piece of content shown.\",\"fields\":[{\"name\":\"content_id\",\"type\":\"string\"},{\"name\":\"content_type\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"placement\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Where it was shown: feed, banner, search, ...\"},{\"name\":\"position\",\"type\":[\"null\",\"int\"],\"default\":null,\"doc\":\"Its position in the list, from 1.\"}]}],\"default\":null},{\"name\":\"share\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Share\",\"doc\":\"share payload: a piece of content shared.\",\"fields\":[{\"name\":\"content_id\",\"type\":\"string\"},{\"name\":\"content_type\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"share_channel\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"wechat_friend, wechat_moments, weibo, qq, link, ...\"}]}],\"default\":null},{\"name\":\"register\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Register\",\"doc\":\"register payload.\",\"fields\":[{\"name\":\"method\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"phone, wechat, email, ...\"},{\"name\":\"invite_code\",\"type\":[\"null\",\"string\"],\"default\":null}]}],\"default\":null},{\"name\":\"login\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Login\",\"doc\":\"login payload.\",\"fields\":[{\"name\":\"method\",\"type\":[\"null\",\"string\"],\"default\":null}]}],\"default\":null},{\"name\":\"real_name_verified\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"RealNameVerified\",\"doc\":\"real_name_verified payload.\",\"fields\":[{\"name\":\"provider\",\"type\":[\"null\",\"string\"],\"default\":null}]}],\"default\":null},{\"name\":\"bind_card\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"BindCard\",\"doc\":\"bind_card payload.\",\"fields\":[{\"name\":\"bank\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"card_type\",\"type\":[\"null\",\"string\"],\"default\":null}]}],\"default\":null},{\"name\":\"recharge\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Recharge\",\"doc\":\"recharge payload.\",\"fields\":[{\"name\":\"amount\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":18,\"scale\":4}},{\"name\":\"currency\",\"type\":\"string\",\"default\":\"CNY\"}]}],\"default\":null},{\"name\":\"purchase\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Purchase\",\"doc\":\"invest and order payload.\",\"fields\":[{\"name\":\"order_id\",\"type\":\"string\"},{\"name\":\"amount\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":18,\"scale\":4}},{\"name\":\"currency\",\"type\":\"string\",\"default\":\"CNY\"},{\"name\":\"product_id\",\"type\":\"string\"},{\"name\":\"product_type\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"term_days\",\"type\":[\"null\",\"int\"],\"default\":null},{\"name\":\"coupon_id\",\"type\":[\"null\",\"string\"],\"default\":null}]}],\"default\":null},{\"name\":\"withdraw\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Withdraw\",\"doc\":\"withdraw payload.\",\"fields\":[{\"name\":\"amount\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":18,\"scale\":4}},{\"name\":\"currency\",\"type\":\"string\",\"default\":\"CNY\"}]}],\"default\":null},{\"name\":\"coupon\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Coupon\",\"doc\":\"coupon_issued and coupon_used payload.\",\"fields\":[{\"name\":\"coupon_id\",\"type\":\"string\"},{\"name\":\"coupon_type\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"value\",\"type\":[\"null\",{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":18,\"scale\":4}],\"default\":null},{\"name\":\"expires_at\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}],\"default\":null}]}],\"default\":null},{\"name\":\"gift\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Gift\",\"doc\":\"gift_issued and gift_used payload.\",\"fields\":[{\"name\":\"gift_id\",\"type\":\"string\"},{\"name\":\"gift_type\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"value\",\"type\":[\"null\",{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":18,\"scale\":4}],\"default\":null},{\"name\":\"expires_at\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}],\"default\":null}]}],\"default\":null},{\"name\":\"app_install\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"AppInstall\",\"doc\":\"app_install payload.\",\"fields\":[{\"name\":\"store\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"App store, e.g. appstore, huawei, xiaomi, oppo, vivo, yingyongbao.\"},{\"name\":\"download_channel\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Channel package the app was downloaded from.\"}]}],\"default\":null},{\"name\":\"properties\",\"type\":{\"type\":\"map\",\"values\":\"string\"},\"doc\":\"Custom properties, as strings.\",\"default\":{}}]}";
    export const EventName = "opstream.Event";
    /**
     * One behaviour or business event as published by a platform app or back-end service. event_id is the idempotency key: a re-sent event with the same id never changes a number.
     */
    export interface Event {
        /**
         * UUID chosen by the client (kept) or by ingest; the idempotency key.
         */
        event_id: string;
        /**
         * Event name: a standard name (page_view, click, impression, share, register, login, real_name_verified, bind_card, recharge, invest, order, withdraw, coupon_issued, coupon_used, gift_issued, gift_used, app_install) or a custom one.
         */
        event: string;
        /**
         * When it happened, by the client clock (corrected for skew by ingest where sent_at is known).
         */
        occurred_at: Date;
        /**
         * When ingest received it, by the server clock.
         */
        received_at: Date;
        /**
         * When the client sent the batch, by the client clock.
         *
         * Default: null
         */
        sent_at: null | Date;
        /**
         * Device or browser id; the partition key of events.raw.
         */
        anonymous_id: string;
        /**
         * Platform user id, once known (after register or login).
         *
         * Default: null
         */
        user_id: null | string;
        /**
         * Client-side session id, when the app keeps one.
         *
         * Default: null
         */
        session_id: null | string;
        app: Opstream.App;
        page: Opstream.Page;
        campaign: Opstream.Campaign;
        device: Opstream.Device;
        /**
         * Default: null
         */
        locale: null | string;
        /**
         * Client IP, kept only for ingest-side geo lookup; not stored downstream.
         *
         * Default: null
         */
        ip: null | string;
        /**
         * Default: null
         */
        page_view: null | Opstream.PageView;
        /**
         * Default: null
         */
        click: null | Opstream.Click;
        /**
         * Default: null
         */
        impression: null | Opstream.Impression;
        /**
         * Default: null
         */
        share: null | Opstream.Share;
        /**
         * Default: null
         */
        register: null | Opstream.Register;
        /**
         * Default: null
         */
        login: null | Opstream.Login;
        /**
         * Default: null
         */
        real_name_verified: null | Opstream.RealNameVerified;
        /**
         * Default: null
         */
        bind_card: null | Opstream.BindCard;
        /**
         * Default: null
         */
        recharge: null | Opstream.Recharge;
        /**
         * Default: null
         */
        purchase: null | Opstream.Purchase;
        /**
         * Default: null
         */
        withdraw: null | Opstream.Withdraw;
        /**
         * Default: null
         */
        coupon: null | Opstream.Coupon;
        /**
         * Default: null
         */
        gift: null | Opstream.Gift;
        /**
         * Default: null
         */
        app_install: null | Opstream.AppInstall;
        /**
         * Custom properties, as strings.
         *
         * Default: {}
         */
        properties: {
            [index: string]: string;
        };
    }
    export const ChannelInfoSchema = "{\"type\":\"record\",\"name\":\"ChannelInfo\",\"doc\":\"A classified channel.\",\"fields\":[{\"name\":\"group\",\"type\":\"string\",\"doc\":\"Channel group: Paid Search, Paid Social, Organic Search, Direct, ...\"},{\"name\":\"source\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"medium\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"campaign\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"term\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"content\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"keyword\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Search keyword from the referrer.\"},{\"name\":\"referrer_domain\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"click_id_kind\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Which click id classified it (bd_vid, gclid, ...).\"},{\"name\":\"name\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Catalog name of the campaign code.\"},{\"name\":\"owner\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
    export const ChannelInfoName = "opstream.ChannelInfo";
    /**
     * A classified channel.
     */
    export interface ChannelInfo {
        /**
         * Channel group: Paid Search, Paid Social, Organic Search, Direct, ...
         */
        group: string;
        /**
         * Default: null
         */
        source: null | string;
        /**
         * Default: null
         */
        medium: null | string;
        /**
         * Default: null
         */
        campaign: null | string;
        /**
         * Default: null
         */
        term: null | string;
        /**
         * Default: null
         */
        content: null | string;
        /**
         * Search keyword from the referrer.
         *
         * Default: null
         */
        keyword: null | string;
        /**
         * Default: null
         */
        referrer_domain: null | string;
        /**
         * Which click id classified it (bd_vid, gclid, ...).
         *
         * Default: null
         */
        click_id_kind: null | string;
        /**
         * Catalog name of the campaign code.
         *
         * Default: null
         */
        name: null | string;
        /**
         * Default: null
         */
        owner: null | string;
    }
    export const SessionSchema = "{\"type\":\"record\",\"name\":\"Session\",\"doc\":\"The session this event belongs to.\",\"fields\":[{\"name\":\"session_id\",\"type\":\"string\"},{\"name\":\"started_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},{\"name\":\"index\",\"type\":\"int\",\"doc\":\"The device's n-th session, from 1.\"},{\"name\":\"channel\",\"type\":\"ChannelInfo\"}]}";
    export const SessionName = "opstream.Session";
    /**
     * The session this event belongs to.
     */
    export interface Session {
        session_id: string;
        started_at: Date;
        /**
         * The device's n-th session, from 1.
         */
        index: number;
        channel: Opstream.ChannelInfo;
    }
    export const TouchSchema = "{\"type\":\"record\",\"name\":\"Touch\",\"doc\":\"A channel touch and when it happened.\",\"fields\":[{\"name\":\"channel\",\"type\":\"ChannelInfo\"},{\"name\":\"at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}}]}";
    export const TouchName = "opstream.Touch";
    /**
     * A channel touch and when it happened.
     */
    export interface Touch {
        channel: Opstream.ChannelInfo;
        at: Date;
    }
    export const AttributionSchema = "{\"type\":\"record\",\"name\":\"Attribution\",\"doc\":\"Channel, session and touches of the device that sent the event.\",\"fields\":[{\"name\":\"channel\",\"type\":{\"type\":\"record\",\"name\":\"ChannelInfo\",\"doc\":\"A classified channel.\",\"fields\":[{\"name\":\"group\",\"type\":\"string\",\"doc\":\"Channel group: Paid Search, Paid Social, Organic Search, Direct, ...\"},{\"name\":\"source\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"medium\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"campaign\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"term\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"content\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"keyword\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Search keyword from the referrer.\"},{\"name\":\"referrer_domain\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"click_id_kind\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Which click id classified it (bd_vid, gclid, ...).\"},{\"name\":\"name\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Catalog name of the campaign code.\"},{\"name\":\"owner\",\"type\":[\"null\",\"string\"],\"default\":null}]}},{\"name\":\"session\",\"type\":{\"type\":\"record\",\"name\":\"Session\",\"doc\":\"The session this event belongs to.\",\"fields\":[{\"name\":\"session_id\",\"type\":\"string\"},{\"name\":\"started_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},{\"name\":\"index\",\"type\":\"int\",\"doc\":\"The device's n-th session, from 1.\"},{\"name\":\"channel\",\"type\":\"ChannelInfo\"}]}},{\"name\":\"first_touch\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Touch\",\"doc\":\"A channel touch and when it happened.\",\"fields\":[{\"name\":\"channel\",\"type\":\"ChannelInfo\"},{\"name\":\"at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}}]}],\"default\":null},{\"name\":\"last_non_direct_touch\",\"type\":[\"null\",\"Touch\"],\"default\":null}],\"namespace\":\"opstream\"}";
    export const AttributionName = "opstream.Attribution";
    /**
     * Channel, session and touches of the device that sent the event.
     */
    export interface Attribution {
        channel: Opstream.ChannelInfo;
        session: Opstream.Session;
        /**
         * Default: null
         */
        first_touch: null | Opstream.Touch;
        /**
         * Default: null
         */
        last_non_direct_touch: null | Opstream.Touch;
    }
    export const IdentitySchema = "{\"type\":\"record\",\"name\":\"Identity\",\"doc\":\"Identity stitching result.\",\"fields\":[{\"name\":\"user_id\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"linked_at\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}],\"default\":null,\"doc\":\"When this device was linked to the user.\"},{\"name\":\"pre_registration\",\"type\":\"boolean\",\"doc\":\"True for activity of the device before it was linked.\",\"default\":false}]}";
    export const IdentityName = "opstream.Identity";
    /**
     * Identity stitching result.
     */
    export interface Identity {
        /**
         * Default: null
         */
        user_id: null | string;
        /**
         * When this device was linked to the user.
         *
         * Default: null
         */
        linked_at: null | Date;
        /**
         * True for activity of the device before it was linked.
         *
         * Default: false
         */
        pre_registration: boolean;
    }
    export const AcquisitionSchema = "{\"type\":\"record\",\"name\":\"Acquisition\",\"doc\":\"The user's acquisition channel, frozen at registration.\",\"fields\":[{\"name\":\"channel\",\"type\":\"ChannelInfo\"},{\"name\":\"registered_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}}]}";
    export const AcquisitionName = "opstream.Acquisition";
    /**
     * The user's acquisition channel, frozen at registration.
     */
    export interface Acquisition {
        channel: Opstream.ChannelInfo;
        registered_at: Date;
    }
    export const UserAttributesSchema = "{\"type\":\"record\",\"name\":\"UserAttributes\",\"doc\":\"Latest user profile.\",\"fields\":[{\"name\":\"member_tier\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"city\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"province\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"birthday\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"gender\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"asset_band\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"registered_at\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}],\"default\":null},{\"name\":\"custom\",\"type\":{\"type\":\"map\",\"values\":\"string\"},\"default\":{}}]}";
    export const UserAttributesName = "opstream.UserAttributes";
    /**
     * Latest user profile.
     */
    export interface UserAttributes {
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
         * Default: null
         */
        birthday: null | string;
        /**
         * Default: null
         */
        gender: null | string;
        /**
         * Default: null
         */
        asset_band: null | string;
        /**
         * Default: null
         */
        registered_at: null | Date;
        /**
         * Default: {}
         */
        custom: {
            [index: string]: string;
        };
    }
    export const CountersSchema = "{\"type\":\"record\",\"name\":\"Counters\",\"doc\":\"Per-user counters as of this event.\",\"fields\":[{\"name\":\"nth_purchase\",\"type\":[\"null\",\"int\"],\"default\":null,\"doc\":\"For invest/order events: which purchase of the user this is, from 1.\"},{\"name\":\"cumulative_amount\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":38,\"scale\":4},\"doc\":\"Sum of purchase amounts up to and including this event (precision 38: a sum outgrows a single amount's 18 digits).\"},{\"name\":\"first_purchase_at\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}],\"default\":null},{\"name\":\"days_since_registration\",\"type\":[\"null\",\"int\"],\"default\":null}]}";
    export const CountersName = "opstream.Counters";
    /**
     * Per-user counters as of this event.
     */
    export interface Counters {
        /**
         * For invest/order events: which purchase of the user this is, from 1.
         *
         * Default: null
         */
        nth_purchase: null | number;
        /**
         * Sum of purchase amounts up to and including this event (precision 38: a sum outgrows a single amount's 18 digits).
         */
        cumulative_amount: string;
        /**
         * Default: null
         */
        first_purchase_at: null | Date;
        /**
         * Default: null
         */
        days_since_registration: null | number;
    }
    export const EnrichedEventSchema = "{\"type\":\"record\",\"name\":\"EnrichedEvent\",\"namespace\":\"opstream\",\"doc\":\"An attributed event joined with the person behind it: identity, acquisition channel, user attributes and counters (stage 2 of enrich, keyed by person).\",\"fields\":[{\"name\":\"event\",\"type\":{\"type\":\"record\",\"name\":\"Event\",\"namespace\":\"opstream\",\"doc\":\"One behaviour or business event as published by a platform app or back-end service. event_id is the idempotency key: a re-sent event with the same id never changes a number.\",\"fields\":[{\"name\":\"event_id\",\"type\":{\"type\":\"string\",\"logicalType\":\"uuid\"},\"doc\":\"UUID chosen by the client (kept) or by ingest; the idempotency key.\"},{\"name\":\"event\",\"type\":\"string\",\"doc\":\"Event name: a standard name (page_view, click, impression, share, register, login, real_name_verified, bind_card, recharge, invest, order, withdraw, coupon_issued, coupon_used, gift_issued, gift_used, app_install) or a custom one.\"},{\"name\":\"occurred_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"},\"doc\":\"When it happened, by the client clock (corrected for skew by ingest where sent_at is known).\"},{\"name\":\"received_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"},\"doc\":\"When ingest received it, by the server clock.\"},{\"name\":\"sent_at\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}],\"default\":null,\"doc\":\"When the client sent the batch, by the client clock.\"},{\"name\":\"anonymous_id\",\"type\":\"string\",\"doc\":\"Device or browser id; the partition key of events.raw.\"},{\"name\":\"user_id\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Platform user id, once known (after register or login).\"},{\"name\":\"session_id\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Client-side session id, when the app keeps one.\"},{\"name\":\"app\",\"type\":{\"type\":\"record\",\"name\":\"App\",\"doc\":\"Where the event came from.\",\"fields\":[{\"name\":\"platform\",\"type\":{\"type\":\"enum\",\"name\":\"Platform\",\"symbols\":[\"web\",\"h5\",\"ios\",\"android\",\"miniprogram\",\"server\",\"other\"],\"default\":\"other\"}},{\"name\":\"app_id\",\"type\":\"string\",\"doc\":\"Which app or site sent it (one write key per app).\"},{\"name\":\"app_version\",\"type\":[\"null\",\"string\"],\"default\":null}]}},{\"name\":\"page\",\"type\":{\"type\":\"record\",\"name\":\"Page\",\"doc\":\"Page or screen context.\",\"fields\":[{\"name\":\"url\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"path\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"referrer\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"title\",\"type\":[\"null\",\"string\"],\"default\":null}]}},{\"name\":\"campaign\",\"type\":{\"type\":\"record\",\"name\":\"Campaign\",\"doc\":\"Campaign parameters from the landing URL or the app attribution SDK.\",\"fields\":[{\"name\":\"utm_source\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"utm_medium\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"utm_campaign\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"utm_term\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"utm_content\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"gclid\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Google Ads click id.\"},{\"name\":\"bd_vid\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Baidu OCPC click id.\"},{\"name\":\"gdt_vid\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Tencent ads click id.\"},{\"name\":\"qz_gdt\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Tencent ads (Qzone) click id.\"},{\"name\":\"clickid\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Ocean Engine (Toutiao / Douyin) click id.\"},{\"name\":\"ttclid\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"TikTok ads click id.\"},{\"name\":\"msclkid\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Microsoft Ads click id.\"},{\"name\":\"other_click_ids\",\"type\":{\"type\":\"map\",\"values\":\"string\"},\"doc\":\"Any other click id parameter, by parameter name.\",\"default\":{}}]}},{\"name\":\"device\",\"type\":{\"type\":\"record\",\"name\":\"Device\",\"doc\":\"Device context.\",\"fields\":[{\"name\":\"os\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"os_version\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"model\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"manufacturer\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"user_agent\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"screen_width\",\"type\":[\"null\",\"int\"],\"default\":null},{\"name\":\"screen_height\",\"type\":[\"null\",\"int\"],\"default\":null}]}},{\"name\":\"locale\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"ip\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Client IP, kept only for ingest-side geo lookup; not stored downstream.\"},{\"name\":\"page_view\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"PageView\",\"doc\":\"page_view payload.\",\"fields\":[{\"name\":\"duration_ms\",\"type\":[\"null\",\"long\"],\"default\":null},{\"name\":\"content_id\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"The content (article, product, video) the page shows: a page view with one is a read of it.\"},{\"name\":\"content_type\",\"type\":[\"null\",\"string\"],\"default\":null}]}],\"default\":null},{\"name\":\"click\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Click\",\"doc\":\"click payload.\",\"fields\":[{\"name\":\"element_id\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"element_text\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"target_url\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"content_id\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"The content clicked: with an impression of it, a click-through.\"},{\"name\":\"placement\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Where it was shown: feed, banner, search, ...\"},{\"name\":\"position\",\"type\":[\"null\",\"int\"],\"default\":null}]}],\"default\":null},{\"name\":\"impression\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Impression\",\"doc\":\"impression payload: a piece of content shown.\",\"fields\":[{\"name\":\"content_id\",\"type\":\"string\"},{\"name\":\"content_type\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"placement\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Where it was shown: feed, banner, search, ...\"},{\"name\":\"position\",\"type\":[\"null\",\"int\"],\"default\":null,\"doc\":\"Its position in the list, from 1.\"}]}],\"default\":null},{\"name\":\"share\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Share\",\"doc\":\"share payload: a piece of content shared.\",\"fields\":[{\"name\":\"content_id\",\"type\":\"string\"},{\"name\":\"content_type\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"share_channel\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"wechat_friend, wechat_moments, weibo, qq, link, ...\"}]}],\"default\":null},{\"name\":\"register\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Register\",\"doc\":\"register payload.\",\"fields\":[{\"name\":\"method\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"phone, wechat, email, ...\"},{\"name\":\"invite_code\",\"type\":[\"null\",\"string\"],\"default\":null}]}],\"default\":null},{\"name\":\"login\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Login\",\"doc\":\"login payload.\",\"fields\":[{\"name\":\"method\",\"type\":[\"null\",\"string\"],\"default\":null}]}],\"default\":null},{\"name\":\"real_name_verified\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"RealNameVerified\",\"doc\":\"real_name_verified payload.\",\"fields\":[{\"name\":\"provider\",\"type\":[\"null\",\"string\"],\"default\":null}]}],\"default\":null},{\"name\":\"bind_card\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"BindCard\",\"doc\":\"bind_card payload.\",\"fields\":[{\"name\":\"bank\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"card_type\",\"type\":[\"null\",\"string\"],\"default\":null}]}],\"default\":null},{\"name\":\"recharge\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Recharge\",\"doc\":\"recharge payload.\",\"fields\":[{\"name\":\"amount\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":18,\"scale\":4}},{\"name\":\"currency\",\"type\":\"string\",\"default\":\"CNY\"}]}],\"default\":null},{\"name\":\"purchase\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Purchase\",\"doc\":\"invest and order payload.\",\"fields\":[{\"name\":\"order_id\",\"type\":\"string\"},{\"name\":\"amount\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":18,\"scale\":4}},{\"name\":\"currency\",\"type\":\"string\",\"default\":\"CNY\"},{\"name\":\"product_id\",\"type\":\"string\"},{\"name\":\"product_type\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"term_days\",\"type\":[\"null\",\"int\"],\"default\":null},{\"name\":\"coupon_id\",\"type\":[\"null\",\"string\"],\"default\":null}]}],\"default\":null},{\"name\":\"withdraw\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Withdraw\",\"doc\":\"withdraw payload.\",\"fields\":[{\"name\":\"amount\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":18,\"scale\":4}},{\"name\":\"currency\",\"type\":\"string\",\"default\":\"CNY\"}]}],\"default\":null},{\"name\":\"coupon\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Coupon\",\"doc\":\"coupon_issued and coupon_used payload.\",\"fields\":[{\"name\":\"coupon_id\",\"type\":\"string\"},{\"name\":\"coupon_type\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"value\",\"type\":[\"null\",{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":18,\"scale\":4}],\"default\":null},{\"name\":\"expires_at\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}],\"default\":null}]}],\"default\":null},{\"name\":\"gift\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Gift\",\"doc\":\"gift_issued and gift_used payload.\",\"fields\":[{\"name\":\"gift_id\",\"type\":\"string\"},{\"name\":\"gift_type\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"value\",\"type\":[\"null\",{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":18,\"scale\":4}],\"default\":null},{\"name\":\"expires_at\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}],\"default\":null}]}],\"default\":null},{\"name\":\"app_install\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"AppInstall\",\"doc\":\"app_install payload.\",\"fields\":[{\"name\":\"store\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"App store, e.g. appstore, huawei, xiaomi, oppo, vivo, yingyongbao.\"},{\"name\":\"download_channel\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Channel package the app was downloaded from.\"}]}],\"default\":null},{\"name\":\"properties\",\"type\":{\"type\":\"map\",\"values\":\"string\"},\"doc\":\"Custom properties, as strings.\",\"default\":{}}]}},{\"name\":\"attribution\",\"type\":{\"type\":\"record\",\"name\":\"Attribution\",\"doc\":\"Channel, session and touches of the device that sent the event.\",\"fields\":[{\"name\":\"channel\",\"type\":{\"type\":\"record\",\"name\":\"ChannelInfo\",\"doc\":\"A classified channel.\",\"fields\":[{\"name\":\"group\",\"type\":\"string\",\"doc\":\"Channel group: Paid Search, Paid Social, Organic Search, Direct, ...\"},{\"name\":\"source\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"medium\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"campaign\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"term\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"content\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"keyword\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Search keyword from the referrer.\"},{\"name\":\"referrer_domain\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"click_id_kind\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Which click id classified it (bd_vid, gclid, ...).\"},{\"name\":\"name\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"Catalog name of the campaign code.\"},{\"name\":\"owner\",\"type\":[\"null\",\"string\"],\"default\":null}]}},{\"name\":\"session\",\"type\":{\"type\":\"record\",\"name\":\"Session\",\"doc\":\"The session this event belongs to.\",\"fields\":[{\"name\":\"session_id\",\"type\":\"string\"},{\"name\":\"started_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},{\"name\":\"index\",\"type\":\"int\",\"doc\":\"The device's n-th session, from 1.\"},{\"name\":\"channel\",\"type\":\"ChannelInfo\"}]}},{\"name\":\"first_touch\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Touch\",\"doc\":\"A channel touch and when it happened.\",\"fields\":[{\"name\":\"channel\",\"type\":\"ChannelInfo\"},{\"name\":\"at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}}]}],\"default\":null},{\"name\":\"last_non_direct_touch\",\"type\":[\"null\",\"Touch\"],\"default\":null}],\"namespace\":\"opstream\"}},{\"name\":\"person_key\",\"type\":\"string\",\"doc\":\"user_id when known, else anonymous_id.\"},{\"name\":\"identity\",\"type\":{\"type\":\"record\",\"name\":\"Identity\",\"doc\":\"Identity stitching result.\",\"fields\":[{\"name\":\"user_id\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"linked_at\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}],\"default\":null,\"doc\":\"When this device was linked to the user.\"},{\"name\":\"pre_registration\",\"type\":\"boolean\",\"doc\":\"True for activity of the device before it was linked.\",\"default\":false}]}},{\"name\":\"acquisition\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Acquisition\",\"doc\":\"The user's acquisition channel, frozen at registration.\",\"fields\":[{\"name\":\"channel\",\"type\":\"ChannelInfo\"},{\"name\":\"registered_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}}]}],\"default\":null},{\"name\":\"user\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"UserAttributes\",\"doc\":\"Latest user profile.\",\"fields\":[{\"name\":\"member_tier\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"city\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"province\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"birthday\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"gender\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"asset_band\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"registered_at\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}],\"default\":null},{\"name\":\"custom\",\"type\":{\"type\":\"map\",\"values\":\"string\"},\"default\":{}}]}],\"default\":null},{\"name\":\"counters\",\"type\":{\"type\":\"record\",\"name\":\"Counters\",\"doc\":\"Per-user counters as of this event.\",\"fields\":[{\"name\":\"nth_purchase\",\"type\":[\"null\",\"int\"],\"default\":null,\"doc\":\"For invest/order events: which purchase of the user this is, from 1.\"},{\"name\":\"cumulative_amount\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":38,\"scale\":4},\"doc\":\"Sum of purchase amounts up to and including this event (precision 38: a sum outgrows a single amount's 18 digits).\"},{\"name\":\"first_purchase_at\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}],\"default\":null},{\"name\":\"days_since_registration\",\"type\":[\"null\",\"int\"],\"default\":null}]}}]}";
    export const EnrichedEventName = "opstream.EnrichedEvent";
    /**
     * An attributed event joined with the person behind it: identity, acquisition channel, user attributes and counters (stage 2 of enrich, keyed by person).
     */
    export interface EnrichedEvent {
        event: Opstream.Event;
        attribution: Opstream.Attribution;
        /**
         * user_id when known, else anonymous_id.
         */
        person_key: string;
        identity: Opstream.Identity;
        /**
         * Default: null
         */
        acquisition: null | Opstream.Acquisition;
        /**
         * Default: null
         */
        user: null | Opstream.UserAttributes;
        counters: Opstream.Counters;
    }
}
