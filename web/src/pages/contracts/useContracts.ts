// Reading for the contract pages: a page of the list, one contract with the
// ETag a later change must quote in If-Match, its attachments, shares,
// history and supplementary contracts, and the value lists, suppliers,
// IT systems and collaborations the forms and filters offer.

import { api } from "../../api/client";
import { settle, withETag } from "../../api/problem";
import { useLoad } from "../../api/useLoad";
import type {
  Attachment,
  AuditEvent,
  Collaboration,
  Contract,
  ContractPage,
  ContractShare,
  ItSystem,
  OptionValue,
  Supplier,
} from "../../api/types";
import { listFilters, type ContractQuery } from "./query";

export function useContractList(query: ContractQuery, version: number) {
  return useLoad<ContractPage>(JSON.stringify([query, version]), (signal) =>
    settle(
      api.GET("/contracts", {
        params: { query: { page: query.page, page_size: query.page_size, ...listFilters(query) } },
        signal,
      }),
    ),
  );
}

export interface VersionedContract {
  contract: Contract;
  etag: string;
}

/** One contract as the server has it now, with its ETag; bump `reload` to read again. */
export function useVersionedContract(id: string, reload: number) {
  return useLoad<VersionedContract>(`${id}|${String(reload)}`, async (signal) =>
    withETag(
      await settle(api.GET("/contracts/{id}", { params: { path: { id } }, signal })),
      (contract, etag) => ({ contract, etag }),
    ),
  ).current;
}

/** A contract's title by id (for the parent contract); null while loading or when not visible. */
export function useContractTitle(id: string | null | undefined): string | null {
  const outcome = useLoad<string>(`title|${id ?? ""}`, async (signal) => {
    if (!id) return { ok: false, status: 404, problem: null, response: null };
    const result = await settle(api.GET("/contracts/{id}", { params: { path: { id } }, signal }));
    return result.ok ? { ...result, data: result.data.title } : result;
  }).current;
  return outcome?.ok ? outcome.data : null;
}

/**
 * The municipality's own contracts (title order), at most 1000. Used for the
 * parent picker and to find a contract's supplementary contracts, which the
 * list operation cannot filter by parent.
 */
export function useOwnContracts(enabled: boolean) {
  return useLoad<Contract[]>(`own|${String(enabled)}`, async (signal) => {
    const all: Contract[] = [];
    if (!enabled) return { ok: true, data: all, response: new Response() };
    for (let page = 1; page <= 5; page++) {
      const outcome = await settle(
        api.GET("/contracts", { params: { query: { scope: "own", sort: "title", page, page_size: 200 } }, signal }),
      );
      if (!outcome.ok) return outcome;
      all.push(...outcome.data.items);
      if (all.length >= outcome.data.total) return { ...outcome, data: all };
    }
    return { ok: true, data: all, response: new Response() };
  }).current;
}

export function useAttachments(id: string, version: number) {
  return useLoad<Attachment[]>(`att|${id}|${String(version)}`, async (signal) => {
    const outcome = await settle(api.GET("/contracts/{id}/attachments", { params: { path: { id } }, signal }));
    return outcome.ok ? { ...outcome, data: outcome.data.items } : outcome;
  }).current;
}

export function useShares(id: string, version: number) {
  return useLoad<ContractShare[]>(`shares|${id}|${String(version)}`, async (signal) => {
    const outcome = await settle(api.GET("/contracts/{id}/shares", { params: { path: { id } }, signal }));
    return outcome.ok ? { ...outcome, data: outcome.data.items } : outcome;
  }).current;
}

export function useHistory(id: string, version: string) {
  return useLoad<AuditEvent[]>(`history|${id}|${version}`, async (signal) => {
    const outcome = await settle(api.GET("/contracts/{id}/history", { params: { path: { id } }, signal }));
    return outcome.ok ? { ...outcome, data: outcome.data.items } : outcome;
  }).current;
}

/** The collaborations the municipality is an active member of. */
export function useCollaborations() {
  return useLoad<Collaboration[]>("collaborations", async (signal) => {
    const outcome = await settle(api.GET("/collaborations", { params: { query: { status: "active" } }, signal }));
    return outcome.ok ? { ...outcome, data: outcome.data.items } : outcome;
  }).current;
}

/** The suppliers known to the platform, by name (at most 200, the API's limit). */
export function useSuppliers() {
  return useLoad<Supplier[]>("suppliers", async (signal) => {
    const outcome = await settle(api.GET("/suppliers", { params: { query: { limit: 200 } }, signal }));
    return outcome.ok
      ? { ...outcome, data: [...outcome.data.items].sort((a, b) => a.name.localeCompare(b.name, "da")) }
      : outcome;
  }).current;
}

/** The municipality's IT systems in use or planned, by name (at most 200). */
export function useSystems() {
  return useLoad<ItSystem[]>("systems", async (signal) => {
    const outcome = await settle(api.GET("/systems", { params: { query: { page_size: 200 } }, signal }));
    return outcome.ok
      ? { ...outcome, data: [...outcome.data.items].sort((a, b) => a.name.localeCompare(b.name, "da")) }
      : outcome;
  }).current;
}

export type OptionName =
  | "contract_type"
  | "status"
  | "agreement_element"
  | "procedure"
  | "payment_model"
  | "payment_frequency"
  | "notice_to"
  | "criticality";

export interface Options {
  loaded: boolean;
  values: (list: OptionName) => readonly OptionValue[];
  /** The Danish label of a code, or the code itself when unknown. */
  label: (list: OptionName, code: string | null | undefined) => string;
}

/** GET /options: the register's value lists with their Danish labels. */
export function useOptions(): Options {
  const outcome = useLoad<Map<string, OptionValue[]>>("options", async (signal) => {
    const result = await settle(api.GET("/options", { signal }));
    return result.ok ? { ...result, data: new Map(result.data.items.map((l) => [l.name, l.values])) } : result;
  }).current;
  const lists = outcome?.ok ? outcome.data : new Map<string, OptionValue[]>();
  return {
    loaded: outcome?.ok ?? false,
    values: (list) => lists.get(list) ?? [],
    label: (list, code) => (code ? (lists.get(list)?.find((v) => v.code === code)?.label ?? code) : ""),
  };
}
