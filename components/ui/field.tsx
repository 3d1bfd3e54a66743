import type { InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from "react";

/**
 * A labelled form field whose hint and errors are tied to the input with aria-describedby, so screen readers
 * read them with the field.
 */
type FieldProps = {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  children: (describedBy: string | undefined, invalid: boolean) => ReactNode;
};

export function Field({ id, label, hint, errors, children }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block font-medium text-slate-900">{label}</label>
      {hint && <p id={hintId} className="text-sm text-slate-600">{hint}</p>}
      {children(describedBy, Boolean(errorId))}
      {errorId && (
        <p id={errorId} className="text-sm font-medium text-red-700">
          {errors!.join(" ")}
        </p>
      )}
    </div>
  );
}

const inputClass =
  "block w-full rounded border border-slate-400 bg-white px-3 py-2 text-slate-900 shadow-sm aria-[invalid=true]:border-red-700 aria-[invalid=true]:ring-1 aria-[invalid=true]:ring-red-700";

export function TextInput({ describedBy, invalid, ...props }: InputHTMLAttributes<HTMLInputElement> & { describedBy?: string; invalid?: boolean }) {
  return <input {...props} aria-describedby={describedBy} aria-invalid={invalid || undefined} className={`${inputClass} ${props.className ?? ""}`} />;
}

export function TextArea({ describedBy, invalid, ...props }: TextareaHTMLAttributes<HTMLTextAreaElement> & { describedBy?: string; invalid?: boolean }) {
  return <textarea {...props} aria-describedby={describedBy} aria-invalid={invalid || undefined} className={`${inputClass} ${props.className ?? ""}`} />;
}
