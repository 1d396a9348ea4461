import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "./secrets";

const key = crypto.randomBytes(32);

describe("secrets", () => {
  it("round-trips and never contains the plaintext", () => {
    const sealed = encryptSecret("mysupersecretpassword", key);
    expect(sealed).not.toContain("mysupersecretpassword");
    expect(sealed.startsWith("v1:")).toBe(true);
    expect(decryptSecret(sealed, key)).toBe("mysupersecretpassword");
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret("x", key)).not.toBe(encryptSecret("x", key));
  });

  it("rejects tampered ciphertext", () => {
    const sealed = encryptSecret("secret", key);
    const parts = sealed.split(":");
    const data = Buffer.from(parts[3], "base64");
    data[0] ^= 1;
    parts[3] = data.toString("base64");
    expect(() => decryptSecret(parts.join(":"), key)).toThrow(/could not be decrypted/);
  });

  it("rejects another key", () => {
    const sealed = encryptSecret("secret", key);
    expect(() => decryptSecret(sealed, crypto.randomBytes(32))).toThrow(/could not be decrypted/);
  });

  it("rejects values that are not sealed", () => {
    expect(() => decryptSecret("plain", key)).toThrow(/Not an encrypted secret/);
  });
});
