import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";

/** One choice the cloud offers (a network, a role, a domain…). */
export type CloudOption = { value: string; label: string; key?: string };

/**
 * A setting picked from what the cloud lists; a text field when the cloud could not be asked
 * (`options` null). The input's `name` is its `id`.
 */
export function CloudSelectField({
  id,
  label,
  hint,
  error,
  options,
  defaultValue,
  choose,
  keepStored = false,
  storedListed = options?.some((o) => o.value === defaultValue) ?? false,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string[];
  options: CloudOption[] | null;
  defaultValue: string;
  /** Text of an empty first option ("Choose…"), when a choice is not preselected. */
  choose?: string;
  /**
   * Editing a saved provider: a stored value the cloud no longer lists is put first and marked,
   * so saving does not quietly change it to whatever happens to be listed first.
   */
  keepStored?: boolean;
  /** Whether the cloud lists the stored value, when that is more than an option with the same value. */
  storedListed?: boolean;
}) {
  const shown =
    options && keepStored && defaultValue && !storedListed
      ? [{ value: defaultValue, label: `${defaultValue} (not found on the cloud)` }, ...options]
      : options;
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {shown ? (
        <Select id={id} name={id} defaultValue={defaultValue}>
          {choose !== undefined ? <option value="">{choose}</option> : null}
          {shown.map((o) => (
            <option key={o.key ?? o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
      ) : (
        <Input id={id} name={id} defaultValue={defaultValue} />
      )}
    </Field>
  );
}
