import { describe, expect, it } from "vitest";
import { formatAge, formatDuration, formatUntil } from "./format";

describe("formatDuration", () => {
  it.each([
    [null, "—"],
    [-5, "—"],
    [400, "0.4 s"],
    [12_300, "12 s"],
    [184_000, "3 min 4 s"],
    [180_000, "3 min"],
    [7_500_000, "2 h 5 min"],
  ])("%s ms → %s", (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe("formatUntil", () => {
  const now = new Date("2024-03-02T12:00:00Z");
  it.each([
    ["2024-03-02T11:00:00Z", "due now"],
    ["2024-03-02T12:00:20Z", "due now"],
    ["2024-03-02T12:15:00Z", "in 15 min"],
    ["2024-03-02T13:30:00Z", "in 1 h 30 min"],
    ["2024-03-03T12:00:00Z", "in 24 h"],
    ["2024-03-09T12:00:00Z", "in 7 days"],
  ])("%s → %s", (at, text) => expect(formatUntil(new Date(at), now)).toBe(text));
});

describe("formatAge", () => {
  const now = new Date("2024-03-02T12:00:00Z");
  it.each([
    ["2024-03-02T11:59:30Z", "just now"],
    ["2024-03-02T11:48:00Z", "12 min ago"],
    ["2024-03-02T09:00:00Z", "3 h ago"],
    ["2024-02-29T12:00:00Z", "2 days ago"],
  ])("%s → %s", (at, text) => expect(formatAge(new Date(at), now)).toBe(text));
});
