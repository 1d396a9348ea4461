/** The parts of an OpenStack error body an operator needs: the message and, if given, its type. */
export interface ServiceFault {
  message: string;
  /** Nova/Cinder's wrapper key (`itemNotFound`, `badRequest`, …) or Neutron's `type`. */
  type?: string;
}

const MAX_MESSAGE = 600;

/**
 * Extracts the service's own message from an error body. Each service has its own shape:
 * Nova/Cinder `{"itemNotFound":{"message"}}`, Neutron `{"NeutronError":{"message","type"}}`,
 * Keystone `{"error":{"message"}}`, Placement `{"errors":[{"title","detail"}]}`, Glance
 * `{"message"}` or an HTML/plain-text page from webob.
 */
export function extractServiceFault(body: unknown): ServiceFault | null {
  if (body === null || body === undefined) return null;
  if (typeof body === "string") return faultFromText(body);
  if (typeof body !== "object" || Array.isArray(body)) return null;
  const obj = body as Record<string, unknown>;

  const neutron = asRecord(obj.NeutronError);
  if (neutron) return fault(neutron.message, neutron.type);

  const errors = obj.errors;
  if (Array.isArray(errors) && errors.length > 0) {
    const parts = errors.map((e) => {
      const r = asRecord(e) ?? {};
      const detail = typeof r.detail === "string" ? stripWebobPreamble(r.detail) : "";
      return detail || (typeof r.title === "string" ? r.title : "");
    });
    return fault(parts.filter(Boolean).join("; "));
  }

  const keystone = asRecord(obj.error);
  if (keystone) return fault(keystone.message ?? keystone.title);

  if (typeof obj.message === "string") return fault(stripHtml(obj.message));
  if (typeof obj.faultstring === "string") return fault(obj.faultstring);

  // Nova and Cinder wrap the fault in one key naming its kind.
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const inner = asRecord(obj[keys[0]]);
    if (inner && typeof inner.message === "string") return fault(inner.message, keys[0]);
  }
  return null;
}

function fault(message: unknown, type?: unknown): ServiceFault | null {
  if (typeof message !== "string" || !message.trim()) return null;
  const clean = tidy(message);
  return typeof type === "string" && type ? { message: clean, type } : { message: clean };
}

function faultFromText(text: string): ServiceFault | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  if (trimmed.startsWith("{")) {
    try {
      return extractServiceFault(JSON.parse(trimmed));
    } catch {
      // Not JSON after all: treat it as text.
    }
  }
  const plain = stripWebobPreamble(stripHtml(trimmed));
  return plain ? { message: tidy(plain) } : null;
}

/** webob pages repeat the status line ("404 Not Found") before the explanation; keep the explanation. */
function stripWebobPreamble(text: string): string {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  if (lines.length > 1 && /^\d{3}\s+\S/.test(lines[0])) lines.shift();
  if (lines.length > 1 && lines[0] === "The resource could not be found.") lines.shift();
  return lines.join("\n");
}

function stripHtml(text: string): string {
  if (!/<[a-z!/][^>]*>/i.test(text)) return text;
  return text
    .replace(/<head[\s\S]*?<\/head>/gi, "")
    .replace(/<h1>([\s\S]*?)<\/h1>/gi, "$1\n")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

function tidy(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_MESSAGE ? `${oneLine.slice(0, MAX_MESSAGE)}…` : oneLine;
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
