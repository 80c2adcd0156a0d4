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

// Overblik and IT systems.
export type Overview = Schemas["Overview"];
export type Deadline = Schemas["Deadline"];
export type Spend = Schemas["Spend"];
export type ContractRef = Schemas["ContractRefDto"];
export type ItSystem = Schemas["ItSystem"];
export type ItSystemInput = Schemas["ItSystemInput"];
export type ItSystemPage = Schemas["ItSystemPage"];
export type CoveringContract = Schemas["CoveringContract"];
export type Supplier = Schemas["Supplier"];
export type OptionList = Schemas["OptionList"];

// Contracts.
export type Contract = Schemas["Contract"];
export type ContractInput = Schemas["ContractInput"];
export type ContractPage = Schemas["ContractPage"];
export type ContractShare = Schemas["ContractShare"];
export type BulkContractAction = Schemas["BulkContractAction"];
export type BulkContractResult = Schemas["BulkContractResult"];
export type Attachment = Schemas["Attachment"];
export type ContractDecision = Schemas["ContractDecision"];
export type ContractDecisionInput = Schemas["ContractDecisionInput"];
export type NoticePreview = Schemas["NoticePreview"];
export type AuditEvent = Schemas["AuditEvent"];
export type Collaboration = Schemas["Collaboration"];
export type CollaborationContract = Schemas["CollaborationContract"];
export type CollaborationContractPage = Schemas["CollaborationContractPage"];
export type ContractGroup = Schemas["ContractGroup"];
export type ContractSubtotal = Schemas["ContractSubtotal"];
export type MunicipalityRef = Schemas["MunicipalityRef"];
export type OptionValue = Schemas["OptionValue"];

// Collaborations, API clients and the audit log.
export type CollaborationList = Schemas["CollaborationList"];
export type CollaborationMember = Schemas["CollaborationMember"];
export type NewCollaboration = Schemas["NewCollaboration"];
export type MemberRole = Schemas["MemberRole"];
export type MemberStatus = Schemas["MemberStatus"];
export type ApiClient = Schemas["ApiClient"];
export type ApiClientList = Schemas["ApiClientList"];
export type IssuedApiClient = Schemas["IssuedApiClient"];
export type ClientScope = Schemas["ClientScope"];
export type AuditEventPage = Schemas["AuditEventPage"];

/** The roles a municipality's user can have, in the order they are offered. */
export const ROLES: readonly Role[] = ["admin", "editor", "viewer"];

// Tender plans.
export type TenderPlan = Schemas["TenderPlan"];
export type TenderPlanInput = Schemas["TenderPlanInput"];
export type PlannedTender = Schemas["PlannedTender"];
export type PlannedTenderInput = Schemas["PlannedTenderInput"];
export type Participant = Schemas["Participant"];
export type Commitment = Schemas["Commitment"];
export type CpvCode = Schemas["CpvCode"];
export type ThresholdVerdict = Schemas["ThresholdVerdict"];
export type Site = Schemas["Site"];
// Standard contract templates.
export type TemplateSummary = Schemas["TemplateSummary"];
export type Template = Schemas["Template"];
export type TemplatePage = Schemas["TemplatePage"];
export type TemplateVersion = Schemas["TemplateVersion"];
export type TemplateUsage = Schemas["TemplateUsage"];
export type ApiVersionContent = Schemas["VersionContent"];
export type ContractTemplate = Schemas["ContractTemplate"];
export type ContractTemplateInput = Schemas["ContractTemplateInput"];

// Opportunities, reminders and the calendar subscription.
export type OpportunityList = Schemas["OpportunityList"];
export type OpportunityGroup = Schemas["OpportunityGroup"];
export type OpportunityContract = Schemas["OpportunityContract"];
export type OpportunityMatch = Schemas["OpportunityMatch"];
export type MyOpportunityList = Schemas["MyOpportunityList"];
export type MyOpportunity = Schemas["MyOpportunity"];
export type ReminderFrequency = Schemas["ReminderFrequency"];
export type ReminderFrequencyChoice = Schemas["ReminderFrequencyChoice"];
export type ReminderSettings = Schemas["ReminderSettings"];
export type ReminderSettingsInput = Schemas["ReminderSettingsInput"];
export type ReminderDigestPreview = Schemas["ReminderPreview"];
export type ReminderItem = Schemas["ReminderItem"];
export type CalendarFeedStatus = Schemas["CalendarFeed"];
export type CalendarFeedCreated = Schemas["CalendarFeedCreated"];

// Owners of contracts and IT systems.
export type Person = Schemas["Person"];
export type PersonPage = Schemas["PersonPage"];
export type OwnerUser = Schemas["OwnerUser"];
export type ContractCoverage = Schemas["ContractCoverage"];
export type ContractCoverageChoice = Schemas["ContractCoverageChoice"];

// Webhooks.
export type WebhookEndpoint = Schemas["WebhookEndpoint"];
export type WebhookEndpointList = Schemas["WebhookEndpointList"];
export type IssuedWebhookEndpoint = Schemas["IssuedWebhookEndpoint"];
export type WebhookEventType = Schemas["WebhookEventType"];
export type WebhookDelivery = Schemas["WebhookDelivery"];
export type WebhookDeliveryPage = Schemas["WebhookDeliveryPage"];

// Kitos import.
export type KitosConnection = Schemas["KitosConnection"];
export type KitosReport = Schemas["KitosReport"];
export type KitosItem = Schemas["KitosItem"];
export type KitosCounts = Schemas["KitosCounts"];
export type KitosOutcome = Schemas["KitosOutcome"];
export type KitosFieldDifference = Schemas["KitosFieldDifference"];
export type KitosRun = Schemas["KitosRun"];
export type KitosRunList = Schemas["KitosRunList"];
