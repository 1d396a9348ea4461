// No imports here: the group_vars editor in the browser reads this.

/** Keys atmosphere-ansible deployments usually set, offered when the list is empty. */
export const SUGGESTED_GROUP_VARS: Array<{ key: string; example: string; hint: string }> = [
  { key: "TIMEZONE", example: "America/Phoenix", hint: "tz database name instances are set to" },
  { key: "NTP_SERVERS", example: "0.pool.ntp.org 1.pool.ntp.org", hint: "time servers instances sync with" },
  { key: "MOUNTSOURCE", example: "nfs.example.org:/export/home", hint: "what instances mount for shared storage" },
];
