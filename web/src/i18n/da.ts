// The Danish message catalogue: every text the user sees. Keys are English,
// values Danish; `{name}` marks a value filled in by t().

import { daAdministration } from "./da/administration";
import { daWebhooks } from "./da/webhooks";
import { daKitos } from "./da/kitos";
import { daCollaborations } from "./da/collaborations";
import { daContracts } from "./da/contracts";
import { daGlossary } from "./da/glossary";
import { daGrid } from "./da/grid";
import { daImports } from "./da/imports";
import { daOpportunities } from "./da/opportunities";
import { daOverview } from "./da/overview";
import { daOwnership } from "./da/ownership";
import { daPlans } from "./da/plans";
import { daProfile } from "./da/profile";
import { daSite } from "./da/site";
import { daSystems } from "./da/systems";
import { daTemplates } from "./da/templates";

export const da = {
  ...daCollaborations,
  ...daAdministration,
  ...daWebhooks,
  ...daKitos,
  ...daContracts,
  ...daSystems,
  ...daOverview,
  ...daPlans,
  ...daOpportunities,
  ...daProfile,
  ...daSite,
  ...daGlossary,
  ...daImports,
  ...daTemplates,
  ...daOwnership,
  ...daGrid,
  app: {
    name: "Samudbud",
    tagline: "Kontraktregistre, standardkontrakter og fælles udbud for kommuner",
    solution: "Kommunernes it-kontrakter",
    skipToContent: "Gå til sidens indhold",
    titleSuffix: "Samudbud",
    loading: "Henter …",
  },
  nav: {
    mainMenu: "Hovedmenu",
    menu: "Menu",
    closeMenu: "Luk menu",
    close: "Luk",
    overview: "Overblik",
    contracts: "Kontrakter",
    systems: "It-systemer",
    collaborations: "Fællesskaber",
    plans: "Udbudsplaner",
    opportunities: "Muligheder",
    commitments: "Mine forpligtelser",
    administration: "Administration",
    users: "Brugere",
    apiClients: "API-klienter",
    webhooks: "Webhooks",
    kitos: "Kitos",
    auditLog: "Log",
    templates: "Skabeloner",
  },
  header: {
    user: "Bruger",
    municipality: "Kommune",
    municipalityCode: "Kommunekode {code}",
    userInfo: "{name}, {role}",
    logout: "Log ud",
    loggingOut: "Logger ud …",
    platform: "Platformsdrift",
    profile: "Min profil",
  },
  roles: {
    admin: "Administrator",
    editor: "Redaktør",
    viewer: "Læser",
    operator: "Platformsoperatør",
    client: "API-klient",
  },
  roleDescriptions: {
    admin: "Administrerer brugere, indstillinger, delinger og fællesskaber.",
    editor: "Opretter og redigerer kontrakter, skabeloner og udbudsplaner.",
    viewer: "Kan læse kommunens kontrakter, skabeloner og udbudsplaner.",
    operator: "Opretter kommuner på platformen.",
    client: "Et andet it-system, der læser og skriver kommunens data gennem API'et med de rettigheder, det er tildelt.",
  },
  login: {
    title: "Log ind",
    intro: "Log ind med din e-mail og adgangskode fra din kommune.",
    email: "E-mail",
    password: "Adgangskode",
    submit: "Log ind",
    submitting: "Logger ind …",
    wrongCredentials: "Forkert e-mail eller adgangskode.",
    throttled:
      "For mange mislykkede forsøg. Vent {wait}, og prøv igen.",
    throttledNoWait: "For mange mislykkede forsøg. Vent lidt, og prøv igen.",
    sessionExpired: "Din session er udløbet eller blevet afbrudt. Log ind igen.",
    loggedOut: "Du er logget ud.",
    requiredEmail: "Udfyld e-mail.",
    requiredPassword: "Udfyld adgangskode.",
  },
  wait: {
    seconds: "{count} sekunder",
    oneSecond: "1 sekund",
    minutes: "{count} minutter",
    oneMinute: "1 minut",
  },
  welcome: {
    title: "Velkommen, {name}",
    municipality: "Du er logget ind i {municipality} (kommunekode {code}) som {role}.",
    operator: "Du er logget ind som platformsoperatør og er ikke knyttet til en kommune.",
    roleHeading: "Det kan du som {role}",
    adminNext: "Gå til {link} for at oprette brugere, skifte roller og deaktivere brugere.",
    adminLink: "Administration → Brugere",
    about:
      "Samudbud samler kommunens it-kontrakter, standardkontrakter og udbudsplaner ét sted, så I kan dele dem med de kommuner, I samarbejder med.",
    accountHeading: "Din konto",
    accountName: "Navn",
    accountEmail: "E-mail",
    accountRole: "Rolle",
    accountMunicipality: "Kommune",
    accountCode: "Kommunekode",
    accountCvr: "CVR-nummer",
  },
  users: {
    title: "Brugere",
    intro: "Brugere i {municipality}. Her opretter du brugere, skifter roller og deaktiverer brugere, der ikke længere skal have adgang.",
    tableCaption: "Brugere i {municipality}",
    searchLegend: "Find brugere",
    searchLabel: "Søg i navn eller e-mail",
    roleFilter: "Rolle",
    statusFilter: "Status",
    allRoles: "Alle roller",
    allStatuses: "Alle",
    search: "Søg",
    clearSearch: "Ryd søgning",
    loadingList: "Henter brugere …",
    showing: "Viser {from}–{to} af {total} brugere",
    showingOne: "Viser 1 bruger",
    colName: "Navn",
    colEmail: "E-mail",
    colRole: "Rolle",
    colStatus: "Status",
    colLastLogin: "Sidst logget ind",
    colActions: "Handlinger",
    active: "Aktiv",
    inactive: "Deaktiveret",
    never: "Aldrig",
    you: "(dig)",
    emptyAll: "Der er ingen brugere endnu. Opret den første bruger med formularen nedenfor.",
    emptySearch:
      "Ingen brugere passer til søgningen. Prøv et andet søgeord, vælg »Alle« under rolle og status, eller ryd søgningen.",
    changeRole: "Skift rolle",
    changeRoleFor: "Skift rolle for {name}",
    forName: "for {name}",
    newRole: "Ny rolle",
    saveRole: "Gem rolle",
    roleSaved: "{name} har nu rollen {role}.",
    deactivate: "Deaktivér",
    deactivateTitle: "Deaktivér {name}?",
    deactivateText:
      "{name} kan ikke længere logge ind, og igangværende sessioner afbrydes. Brugerens historik bevares, og du kan genaktivere brugeren senere.",
    deactivateConfirm: "Deaktivér bruger",
    deactivated: "{name} er deaktiveret.",
    reactivate: "Genaktivér",
    reactivateTitle: "Genaktivér {name}?",
    reactivateText: "{name} kan igen logge ind med sin hidtidige adgangskode og rolle.",
    reactivateConfirm: "Genaktivér bruger",
    reactivated: "{name} er genaktiveret.",
    cancel: "Annullér",
    stale: "Brugeren er blevet ændret af en anden. Indlæs siden igen.",
    reload: "Indlæs igen",
    createTitle: "Opret bruger",
    createIntro:
      "Vælg en første adgangskode på mindst 12 tegn, og giv den til brugeren på en sikker måde.",
    name: "Navn",
    email: "E-mail",
    role: "Rolle",
    chooseRole: "Vælg rolle",
    password: "Første adgangskode",
    passwordHint: "Mindst 12 tegn.",
    createSubmit: "Opret bruger",
    created: "{name} er oprettet som {role}.",
  },
  pagination: {
    label: "Sider",
    previous: "Forrige",
    next: "Næste",
    page: "Side {page}",
    pageOf: "Side {page} af {pages}",
  },
  form: {
    saving: "Gemmer …",
    /** The list of suggestions under a search field. */
    suggestionsFor: "Forslag til {label}",
    cancel: "Annullér",
    errorSummaryTitle: "Der er problemer",
    errorPrefix: "Fejl:",
    /** An error in the summary, named by its field. */
    summaryItem: "{label}: {message}",
    dateHint: "Skriv datoen som dd.mm.åååå, fx 31.12.2027.",
    dateInvalid: "Skriv en gyldig dato som dd.mm.åååå.",
  },
  unsavedChanges: {
    title: "Ændringer er ikke gemt",
    text: "Du har ændringer, der ikke er gemt. Vil du forlade siden?",
    stay: "Bliv på siden",
    leave: "Forlad siden",
  },
  alert: {
    info: "Information",
    success: "Udført",
    warning: "Advarsel",
    error: "Fejl",
  },
  dialog: {
    close: "Luk",
  },
  fields: {
    email: "e-mail",
    name: "navn",
    role: "rolle",
    password: "adgangskode",
    active: "status",
  },
  // Generic texts name the field without inflecting around it (Danish
  // adjectives follow the noun's gender), so they fit every field.
  fieldErrors: {
    required: "Udfyld {field}.",
    /** "required" for a field chosen from a list: one chooses, one does not fill in. */
    choose: "Vælg {field}.",
    invalid: "{Field} er ikke udfyldt korrekt.",
    too_short: "Der er for få tegn i {field}.",
    too_long: "Der er for mange tegn i {field}.",
    out_of_range: "{Field} er uden for det tilladte interval.",
    checksum: "Kontrolcifferet i {field} passer ikke.",
    taken: "{Field} er allerede i brug.",
    last_admin: "Kommunen skal have mindst én aktiv administrator.",
  },

  fieldErrorOverrides: {
    email: {
      invalid: "Skriv en gyldig e-mailadresse, fx navn@kommune.dk.",
      taken: "Der findes allerede en bruger med denne e-mail.",
    },
    password: {
      too_short: "Adgangskoden skal være på mindst 12 tegn.",
      too_long: "Adgangskoden er for lang.",
    },
    role: {
      required: "Vælg en rolle.",
      last_admin: "Kommunen skal have mindst én aktiv administrator, så rollen kan ikke ændres.",
    },
  },
  errors: {
    generic: "Noget gik galt. Prøv igen om lidt.",
    network: "Kunne ikke få forbindelse til serveren. Tjek din forbindelse, og prøv igen.",
    forbidden: "Du har ikke adgang til denne handling.",
    notFound: "Det, du leder efter, findes ikke (længere).",
    stale: "Data er blevet ændret af en anden. Indlæs siden igen.",
    conflict: "Ændringen kunne ikke gennemføres, fordi den strider mod de nuværende data.",
    lastAdmin: "Kommunen skal have mindst én aktiv administrator. Giv en anden bruger rollen administrator først.",
    requestId: "Fejl-id: {id}",
  },
  forbiddenPage: {
    title: "Ingen adgang",
    text: "Siden kræver rollen administrator. Kontakt kommunens administrator, hvis du har brug for adgang.",
    home: "Gå til forsiden",
  },
  notFoundPage: {
    title: "Siden findes ikke",
    text: "Adressen findes ikke i Samudbud. Tjek adressen, eller gå til forsiden.",
    home: "Gå til forsiden",
  },
} as const;
