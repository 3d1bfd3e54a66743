"use server";

import { appAccessSubmissionAction } from "@/lib/app-access/submission-action";
import { appAccessSchema } from "@/lib/validation/app-access";

export const submitAppAccessAction = appAccessSubmissionAction(appAccessSchema);
