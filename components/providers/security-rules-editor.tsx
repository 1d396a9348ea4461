"use client";

import { Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { checkSecurityRule, DEFAULT_SECURITY_RULES, type SecurityRule } from "@/lib/domain/security-rules";

type Row = { key: number; protocol: string; fromPort: string; toPort: string; cidr: string };
let nextKey = 1;
const toRow = (r: SecurityRule): Row => ({ key: nextKey++, protocol: r.protocol, fromPort: String(r.fromPort), toPort: String(r.toPort), cidr: r.cidr ?? "" });

/**
 * Edits the default security rules as a table and submits them as one JSON field; each row is
 * checked as it is typed with the same checks the server uses (checkSecurityRule).
 */
export function SecurityRulesEditor({ name, initial, serverError }: { name: string; initial: SecurityRule[]; serverError?: string[] }) {
  const [rows, setRows] = useState<Row[]>(() => initial.map(toRow));
  const update = (key: number, patch: Partial<Row>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const problems = rows.map((r) => {
    const checked = checkSecurityRule({ protocol: r.protocol, fromPort: r.fromPort, toPort: r.toPort, cidr: r.cidr });
    return "rule" in checked ? null : checked.issues.map((i) => i.message).join(" ");
  });
  const value = JSON.stringify(rows.map((r) => ({ protocol: r.protocol, fromPort: r.fromPort, toPort: r.toPort, cidr: r.cidr })));
  return (
    <fieldset className="grid gap-2">
      <legend className="text-sm font-medium text-slate-700">Default security rules (ingress, applied to each project&apos;s default group)</legend>
      <input type="hidden" name={name} value={value} />
      <div className="overflow-x-auto rounded-md border border-slate-200">
        <table className="w-full text-sm" aria-label="Security rules">
          <thead className="bg-slate-50 text-left text-xs uppercase text-slate-500">
            <tr>
              <th className="px-3 py-2">Protocol</th>
              <th className="px-3 py-2">From port</th>
              <th className="px-3 py-2">To port</th>
              <th className="px-3 py-2">CIDR (optional)</th>
              <th className="px-3 py-2">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((r, i) => (
              <tr key={r.key} className="align-top">
                <td className="px-3 py-1.5">
                  <Select aria-label={`Rule ${i + 1} protocol`} value={r.protocol} onChange={(e) => update(r.key, { protocol: e.target.value })}>
                    <option>TCP</option>
                    <option>UDP</option>
                    <option>ICMP</option>
                  </Select>
                </td>
                <td className="px-3 py-1.5">
                  <Input aria-label={`Rule ${i + 1} from port`} value={r.fromPort} inputMode="numeric" onChange={(e) => update(r.key, { fromPort: e.target.value })} />
                </td>
                <td className="px-3 py-1.5">
                  <Input aria-label={`Rule ${i + 1} to port`} value={r.toPort} inputMode="numeric" onChange={(e) => update(r.key, { toPort: e.target.value })} />
                </td>
                <td className="px-3 py-1.5">
                  <Input aria-label={`Rule ${i + 1} CIDR`} value={r.cidr} placeholder="0.0.0.0/0" onChange={(e) => update(r.key, { cidr: e.target.value })} />
                  {problems[i] ? <p className="mt-1 text-xs text-red-600">{problems[i]}</p> : null}
                </td>
                <td className="px-3 py-1.5">
                  <Button type="button" variant="ghost" size="icon" aria-label={`Remove rule ${i + 1}`} onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}>
                    <Trash2 aria-hidden className="h-4 w-4" />
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {serverError?.length ? <p className="text-xs text-red-600">{serverError.join(" ")}</p> : null}
      <div className="flex gap-2">
        <Button type="button" variant="secondary" size="sm" onClick={() => setRows((rs) => [...rs, toRow({ protocol: "TCP", fromPort: 1, toPort: 1 })])}>
          <Plus aria-hidden className="h-4 w-4" /> Add a rule
        </Button>
        <Button type="button" variant="ghost" size="sm" onClick={() => setRows(DEFAULT_SECURITY_RULES.map(toRow))}>
          Reset to the defaults
        </Button>
      </div>
    </fieldset>
  );
}
