import { Download } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "./copy-button";
import { plural } from "@/lib/domain/format";

/** The first lines of a generated file, its size, and copy/download of the whole file. */
export function FilePreview({
  title,
  description,
  fileName,
  lines,
  total,
  downloadHref,
  children,
}: {
  title: string;
  description?: React.ReactNode;
  fileName: string;
  lines: string[];
  total: number;
  downloadHref: string;
  children?: React.ReactNode;
}) {
  const shown = Math.min(lines.length, total);
  return (
    <Card>
      <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-3">
        <div>
          <CardTitle>{title}</CardTitle>
          {description ? <div className="mt-1 text-sm text-slate-600">{description}</div> : null}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <CopyButton url={downloadHref} label={`Copy ${fileName}`} />
          <a href={downloadHref} className={buttonVariants({ variant: "secondary", size: "sm" })} download>
            <Download aria-hidden className="h-4 w-4" /> Download {fileName}
          </a>
        </div>
      </CardHeader>
      <CardContent className="grid grid-cols-1 gap-2">
        {children}
        <pre
          aria-label={`${title} preview`}
          className="max-h-96 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs leading-5 text-slate-800"
        >
          {lines.join("\n")}
          {shown < total ? `\n… and ${(total - shown).toLocaleString("en-US")} more: download the file` : null}
        </pre>
        <p className="text-xs text-slate-500">
          {shown < total
            ? `Showing the first ${shown.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} lines: download or copy for the whole file.`
            : `${plural(total, "line")}.`}
        </p>
      </CardContent>
    </Card>
  );
}
