import type { VisualId } from "@/lib/guide/types";
import { AddUserBasics } from "./add-user-basics";
import { ConditionalAccessExclude, ConditionalAccessGrant } from "./conditional-access";
import { RcaForm } from "./rca-form";
import { RolePermissionPick } from "./role-permission-pick";

export function Visual({ id, online }: { id: VisualId; online: boolean }) {
  switch (id) {
    case "add-user-basics":
      return <AddUserBasics />;
    case "role-permission-pick":
      return <RolePermissionPick retired={online} />;
    case "rca-form":
      return <RcaForm />;
    case "ca-exclude":
      return <ConditionalAccessExclude />;
    case "ca-grant":
      return <ConditionalAccessGrant />;
  }
}
