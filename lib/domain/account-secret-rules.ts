// The account secret's rules, without node:crypto, so forms that run in the browser can use them.
export const MIN_ACCOUNT_SECRET_LENGTH = 32;
