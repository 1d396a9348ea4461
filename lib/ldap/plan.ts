// Who of a group's members gets queued for an account, and who is held back with why. Pure: the
// same rules for the Accounts page's "Provision" (a staff click) and the scheduled sync.
import type { MemberStatus } from "./store";

export type SkipKind = "deactivated" | "confirm" | "removed";
export type SkippedMember = { username: string; kind: SkipKind; reason: string };

const roleText: Record<MemberStatus["privileged"][number], string> = { staff: "is staff", superuser: "is a superuser", sso: "signs in with SSO" };

/** "alice, who is staff and signs in with SSO" (the portal user's own spelling when it differs). */
function who(m: MemberStatus) {
  const name = m.portalUsername ?? m.username;
  const roles = m.privileged.map((p) => roleText[p]);
  return `${m.portalUsername ? `the portal user ${name}` : name}, who ${roles.join(" and ")}`;
}

/** A live account that did not fail: nothing to do for this member. */
export const hasAccount = (m: MemberStatus) => m.account !== null && m.account !== "failed";

/**
 * Members without a working account are queued, except:
 * - deactivated portal users, never (activate them first);
 * - staff, superusers and SSO-bound users (a same-named directory entry may be someone else):
 *   only when a staff click confirmed them by name, never by the schedule;
 * - members whose account staff removed: only by a staff click, never by the schedule (it
 *   would undo the removal within one interval).
 */
export function planGroup(members: MemberStatus[], opts: { scheduled: boolean; confirmed?: string[] }): { queue: string[]; skipped: SkippedMember[] } {
  const confirmed = new Set((opts.confirmed ?? []).map((u) => u.toLowerCase()));
  const queue: string[] = [];
  const skipped: SkippedMember[] = [];
  for (const m of members) {
    if (hasAccount(m)) continue;
    if (m.deactivated) {
      skipped.push({ username: m.username, kind: "deactivated", reason: `The portal user ${m.portalUsername ?? m.username} is deactivated: activate them under Users to provision them.` });
    } else if (m.privileged.length && (opts.scheduled || !confirmed.has(m.username.toLowerCase()))) {
      skipped.push({
        username: m.username,
        kind: "confirm",
        reason: opts.scheduled
          ? `Matches ${who(m)}: the schedule never provisions such a user; confirm them by name in the preview.`
          : `Matches ${who(m)}: confirm them by name in the preview to provision them.`,
      });
    } else if (m.removedAt && opts.scheduled) {
      skipped.push({ username: m.username, kind: "removed", reason: `Removed by staff on ${m.removedAt.slice(0, 10)}: the schedule does not provision them again; Provision on this card does.` });
    } else {
      queue.push(m.username);
    }
  }
  return { queue, skipped };
}
