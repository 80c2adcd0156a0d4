// Names for the generated schema types the app uses.

import type { components } from "./schema";

type Schemas = components["schemas"];

export type User = Schemas["User"];
export type UserPage = Schemas["UserPage"];
export type UserPatch = Schemas["UserPatch"];
export type NewUser = Schemas["NewUser"];
export type Me = Schemas["Me"];
export type Role = Schemas["Role"];
export type PrincipalRole = Schemas["PrincipalRole"];
export type Problem = Schemas["Problem"];
export type ProblemField = Schemas["ProblemField"];
export type TokenResponse = Schemas["TokenResponse"];

/** The roles a municipality's user can have, in the order they are offered. */
export const ROLES: readonly Role[] = ["admin", "editor", "viewer"];
