import Link from "next/link";
import { Alert } from "./alert";

/** Shown when a wizard step cannot list what it needs from the cloud. */
export function CloudUnavailable({ message, backHref }: { message: string; backHref: string }) {
  return (
    <Alert tone="error">
      <p className="font-medium">Could not read from the cloud.</p>
      <p className="mt-1">{message}</p>
      <p className="mt-2">
        <Link href={backHref} className="font-medium underline">
          Check the connection details
        </Link>{" "}
        or reload this page to try again.
      </p>
    </Alert>
  );
}
