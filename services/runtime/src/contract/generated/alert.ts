// Generated from schemas/ by `npm run schemas:types`. Do not edit: change the .avsc and regenerate.
/* eslint-disable @typescript-eslint/no-namespace */

export type Alert = Opstream.Alert;

export namespace Opstream {
    export const AlertStateSchema = "{\"type\":\"enum\",\"name\":\"AlertState\",\"symbols\":[\"pending\",\"firing\",\"resolved\"]}";
    export const AlertStateName = "opstream.AlertState";
    export type AlertState = "pending" | "firing" | "resolved";
    export const AlertSchema = "{\"type\":\"record\",\"name\":\"Alert\",\"namespace\":\"opstream\",\"doc\":\"A state change of an alert rule on one series.\",\"fields\":[{\"name\":\"alert_id\",\"type\":\"string\",\"doc\":\"Stable id of rule and series labels.\"},{\"name\":\"rule\",\"type\":\"string\"},{\"name\":\"state\",\"type\":{\"type\":\"enum\",\"name\":\"AlertState\",\"symbols\":[\"pending\",\"firing\",\"resolved\"]}},{\"name\":\"severity\",\"type\":\"string\"},{\"name\":\"labels\",\"type\":{\"type\":\"map\",\"values\":\"string\"},\"default\":{}},{\"name\":\"annotations\",\"type\":{\"type\":\"map\",\"values\":\"string\"},\"default\":{}},{\"name\":\"value\",\"type\":[\"null\",\"double\"],\"default\":null},{\"name\":\"baseline\",\"type\":[\"null\",\"double\"],\"default\":null},{\"name\":\"threshold\",\"type\":[\"null\",\"double\"],\"default\":null},{\"name\":\"started_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},{\"name\":\"resolved_at\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}],\"default\":null},{\"name\":\"explanation\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}}]}";
    export const AlertName = "opstream.Alert";
    /**
     * A state change of an alert rule on one series.
     */
    export interface Alert {
        /**
         * Stable id of rule and series labels.
         */
        alert_id: string;
        rule: string;
        state: Opstream.AlertState;
        severity: string;
        /**
         * Default: {}
         */
        labels: {
            [index: string]: string;
        };
        /**
         * Default: {}
         */
        annotations: {
            [index: string]: string;
        };
        /**
         * Default: null
         */
        value: null | number;
        /**
         * Default: null
         */
        baseline: null | number;
        /**
         * Default: null
         */
        threshold: null | number;
        started_at: Date;
        /**
         * Default: null
         */
        resolved_at: null | Date;
        /**
         * Default: null
         */
        explanation: null | string;
        at: Date;
    }
}
