import { describe, expect, it } from "vitest";
import { parseProjectVos } from "@/lib/domain/accounting";
import { parseMultipliers, parseRates } from "./schemas";

describe("the rule forms' lines", () => {
  it("reads rates; an SU type named like an object property is an ordinary one", () => {
    expect(parseRates("CPU=0.012\n\nGPU = 1.5\nconstructor=2\ntoString=3")).toEqual({
      rates: Object.fromEntries([["CPU", 0.012], ["GPU", 1.5], ["constructor", 2], ["toString", 3]]),
      problems: [],
    });
    expect(parseRates("CPU=1\nCPU=2").problems).toEqual(["The rate of CPU is given twice."]);
  });

  it("names the line as the box shows it, blank lines counted", () => {
    expect(parseRates("CPU=0.01\n\n\nGPU=lots").problems).toEqual(["Rate line 4 should look like CPU=0.012 (SU type, =, cost per SU)."]);
    expect(parseMultipliers("GPU | 2 | g1.*\n\nGPU | -1 | g2.*").problems).toEqual(["Multiplier line 3: the factor must be a number of 0 or more."]);
    expect(parseProjectVos("\nalpha = biomed\n\nbeta =").problems).toEqual([
      "VO line 4 should look like my-project = vo.example.org (project name or id, =, VO).",
    ]);
  });

  it("reads multipliers with a flavor pattern, an extra spec, or both", () => {
    expect(parseMultipliers("GPU | 4 | | resources:VGPU=1\nLARGE | 1.5 | m1.xlarge*").multipliers).toEqual([
      { suType: "GPU", factor: 4, flavorPattern: null, extraSpec: { key: "resources:VGPU", value: "1" } },
      { suType: "LARGE", factor: 1.5, flavorPattern: "m1.xlarge*", extraSpec: null },
    ]);
  });
});
