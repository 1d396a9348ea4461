// Runs in the browser before the app hydrates (Next's instrumentation-client hook).
// Zod 4 probes `Function("")` to decide whether it may compile parsers; under our CSP
// (no 'unsafe-eval') the probe is refused and the browser reports a CSP violation even though
// zod catches the error. `jitless` skips the probe: client-side parsing stays interpreted.
import { enableZodJitless } from "@/lib/zod-jitless";

enableZodJitless();
