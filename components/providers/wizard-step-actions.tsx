import Link from "next/link";
import { Button, buttonVariants } from "@/components/ui/button";

/** The foot of a provider wizard step's form: Back to the previous step, and Continue (submits the step). */
export function WizardStepActions({ back, pending }: { back: string; pending: boolean }) {
  return (
    <div className="flex justify-between">
      <Link href={back} className={buttonVariants({ variant: "secondary" })}>
        Back
      </Link>
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Continue"}
      </Button>
    </div>
  );
}
