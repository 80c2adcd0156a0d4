import { describe, expect, it } from "vitest";
import type { Collaboration, CollaborationMember } from "../../api/types";
import { activeCount, canCoordinate, coordinators, currentMembers, formerMembers, invitedCount, normaliseCode } from "./members";

function member(name: string, patch: Partial<CollaborationMember> = {}): CollaborationMember {
  return {
    tenant_id: name,
    tenant_name: name,
    municipality_code: "100",
    role: "member",
    status: "active",
    invited_at: "2026-01-01T10:00:00Z",
    ...patch,
  };
}

const collaboration: Collaboration = {
  id: "c",
  name: "Test",
  my_role: "coordinator",
  my_status: "active",
  created_at: "2026-01-01T10:00:00Z",
  updated_at: "2026-01-01T10:00:00Z",
  members: [
    member("Ringsted Kommune"),
    member("Næstved Kommune", { status: "invited" }),
    member("Sorø Kommune", { role: "coordinator" }),
    member("Holbæk Kommune", { status: "declined", ended_at: "2026-02-01T10:00:00Z" }),
    member("Slagelse Kommune", { status: "left", ended_at: "2026-03-01T10:00:00Z" }),
  ],
};

describe("members", () => {
  it("orders current members coordinators first, then members, then invited", () => {
    expect(currentMembers(collaboration).map((m) => m.tenant_name)).toEqual([
      "Sorø Kommune",
      "Ringsted Kommune",
      "Næstved Kommune",
    ]);
  });

  it("lists former members newest first", () => {
    expect(formerMembers(collaboration).map((m) => m.tenant_name)).toEqual(["Slagelse Kommune", "Holbæk Kommune"]);
  });

  it("counts and names", () => {
    expect(activeCount(collaboration)).toBe(2);
    expect(invitedCount(collaboration)).toBe(1);
    expect(coordinators(collaboration)).toEqual(["Sorø Kommune"]);
  });

  it("lets only an active coordinator's admins coordinate", () => {
    expect(canCoordinate(collaboration, true)).toBe(true);
    expect(canCoordinate(collaboration, false)).toBe(false);
    expect(canCoordinate({ ...collaboration, my_role: "member" }, true)).toBe(false);
    expect(canCoordinate({ ...collaboration, my_status: "invited" }, true)).toBe(false);
  });

  it("accepts three-digit codes only", () => {
    expect(normaliseCode(" 329 ")).toBe("329");
    expect(normaliseCode("32")).toBeNull();
    expect(normaliseCode("3290")).toBeNull();
    expect(normaliseCode("abc")).toBeNull();
  });
});
