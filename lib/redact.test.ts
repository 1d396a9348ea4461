import { describe, expect, it } from "vitest";
import { redactSecrets } from "./redact";

describe("redactSecrets", () => {
  it.each([
    ["password=hunter2 leaked", "password=[redacted] leaked"],
    ['{"password": "hunter2", "name": "x"}', '{"password": "[redacted]", "name": "x"}'],
    ["X-Auth-Token: gAAAAABk123", "X-Auth-Token: [redacted]"],
    ["postgres://app:s3cret@db:5432/x", "postgres://app:[redacted]@db:5432/x"],
    ["Authorization: Bearer abc.def.ghi", "Authorization: Bearer [redacted]"],
    ["application_credential_secret=xyz", "application_credential_secret=[redacted]"],
    ["nothing to hide here", "nothing to hide here"],
  ])("%s", (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it("removes known secret values wherever they appear", () => {
    expect(redactSecrets("login as cmart with abcd1234 failed", ["abcd1234"])).toBe("login as cmart with [redacted] failed");
  });
});
