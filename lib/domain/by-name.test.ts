import { describe, expect, it } from "vitest";
import { byName } from "./by-name";

describe("byName", () => {
  it("keeps __proto__, constructor and toString as plain entries, in its JSON too (issue 12)", () => {
    const board = byName<{ status: string }>();
    for (const name of ["__proto__", "constructor", "toString", "cmart"]) board[name] = { status: `done ${name}` };
    expect(Object.keys(board)).toEqual(["__proto__", "constructor", "toString", "cmart"]);
    expect(Object.getPrototypeOf(board)).toBeNull();
    const json = JSON.parse(JSON.stringify({ users: board })) as { users: Record<string, { status: string }> };
    expect(Object.prototype.hasOwnProperty.call(json.users, "__proto__")).toBe(true);
    expect(json.users.cmart).toEqual({ status: "done cmart" });
    // A plain object literal, as the job boards were, loses that user and gains a prototype.
    const plain: Record<string, unknown> = {};
    plain["__proto__"] = { status: "done" };
    expect(Object.keys(plain)).toEqual([]);
  });

  it("an unknown name reads as undefined, not as something inherited", () => {
    const board = byName<number>();
    expect(board["constructor"]).toBeUndefined();
    expect("hasOwnProperty" in board).toBe(false);
  });
});
