"use client";

import { useTransition, type FormEvent } from "react";

/**
 * Submits a server-action form without React's reset of the form afterwards, so a refusal ("wrong password",
 * "that email is taken") leaves what the person typed in place. Password fields are emptied on submit: a refused
 * password is retyped, never kept on the page. The form keeps `action={formAction}` too, so it still posts
 * without JavaScript.
 */
export function useSubmitKeepingFields(formAction: (data: FormData) => void) {
  const [, startTransition] = useTransition();
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form, (event.nativeEvent as SubmitEvent).submitter);
    for (const input of form.querySelectorAll<HTMLInputElement>('input[type="password"]')) input.value = "";
    startTransition(() => formAction(data));
  };
}
