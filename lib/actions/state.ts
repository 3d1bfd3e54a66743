/** The state every server action returns to its form. Shared by client and server; holds nothing secret. */
export type FieldErrors = Record<string, string[] | undefined>;

export type ActionState<T = unknown> =
  | { status: "idle" }
  | { status: "success"; message?: string; data?: T }
  | { status: "invalid"; message: string; fieldErrors: FieldErrors }
  | { status: "error"; code: string; message: string };

export const IDLE: ActionState<never> = { status: "idle" };
