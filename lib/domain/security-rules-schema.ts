import { z } from "zod";
import { checkSecurityRule, type SecurityRule } from "./security-rules";

/** One security rule as the server reads it from a form or a provider file: checkSecurityRule's checks. */
export const securityRuleSchema = z
  .object({ protocol: z.unknown(), fromPort: z.unknown(), toPort: z.unknown(), cidr: z.unknown().optional() })
  .transform((r, ctx): SecurityRule => {
    const checked = checkSecurityRule(r);
    if ("rule" in checked) return checked.rule;
    for (const issue of checked.issues) ctx.addIssue({ code: "custom", path: [issue.path], message: issue.message });
    return z.NEVER;
  });
