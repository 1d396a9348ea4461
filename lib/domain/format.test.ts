import { describe, expect, it } from "vitest";
import { formatBytes, ofTotal, plural, tooLong } from "./format";

describe("plural", () => {
  it.each([
    [0, "instance", undefined, "0 instances"],
    [1, "instance", undefined, "1 instance"],
    [2, "instance", undefined, "2 instances"],
    [1, "image", undefined, "1 image"],
    [10_000, "user", undefined, "10,000 users"],
    [1, "address", undefined, "1 address"],
    [3, "address", undefined, "3 addresses"],
    [2, "identity", undefined, "2 identities"],
    [1, "floating IP", undefined, "1 floating IP"],
    [2, "person", "people", "2 people"],
    [1, "person", "people", "1 person"],
  ])("%s %s → %s", (n, noun, many, text) => expect(plural(n, noun, many)).toBe(text));
});

describe("ofTotal", () => {
  it.each([
    [0, 1, 0, "0 of 1 account"],
    [1, 1, 0, "1 of 1 account"],
    [1, 2, 0, "1 of 2 accounts"],
    [3, 1_200, 2, "3 of 1,200 accounts, 2 failed"],
  ])("%s of %s, %s failed → %s", (done, total, failed, text) => expect(ofTotal(done, total, "account", failed)).toBe(text));
});

describe("formatBytes", () => {
  it.each([
    [null, "—"],
    [undefined, "—"],
    [-1, "—"],
    [Number.NaN, "—"],
    [0, "0 B"],
    [21, "21 B"],
    [1536, "1.5 KiB"],
    // A 9 MB image: MiB, not "0.00 GB".
    [9 * 1000 * 1000, "8.6 MiB"],
    [21_430_272, "20.4 MiB"],
    [2.5 * 1024 ** 3, "2.5 GiB"],
    [200 * 1024 ** 3, "200 GiB"],
  ])("%s → %s", (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

describe("tooLong", () => {
  it("names the limit and the length", () => {
    expect(tooLong("Usernames", 150, 300)).toBe("Usernames are at most 150 characters; this one has 300");
    expect(tooLong("Names", 1000, 1500)).toBe("Names are at most 1,000 characters; this one has 1,500");
  });
});
