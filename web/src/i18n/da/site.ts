// Danish texts for the footer and the accessibility statement.

export const daSite = {
  footer: {
    label: "Om løsningen",
    operatedBy: "Drives af {operator}",
    contact: "Kontakt",
    email: "E-mail: {email}",
    phone: "Telefon: {phone}",
    accessibility: "Tilgængelighedserklæring",
    logoAlt: "{operator}s logo",
  },
  accessibility: {
    title: "Tilgængelighedserklæring",
    intro:
      "{operator} ønsker, at alle kan bruge Samudbud, også brugere der navigerer med tastatur, bruger skærmlæser, forstørrer skærmen eller har andre behov. Her kan du læse, hvor tilgængelig løsningen er, hvad vi ved ikke virker godt nok endnu, og hvordan du giver os besked.",
    scopeHeading: "Hvad erklæringen dækker",
    scope:
      "Erklæringen gælder webløsningen Samudbud, som {operator} stiller til rådighed for kommunernes medarbejdere: kontraktregistre, it-systemer, fællesskaber, standardkontrakter, fælles udbudsplaner og administration. Den gælder ikke dokumenter, som brugerne selv lægger op som bilag.",
    targetHeading: "Mål for tilgængelighed",
    target:
      "Løsningen skal overholde Web Content Accessibility Guidelines (WCAG) 2.1 på niveau AA, som lov om tilgængelighed af offentlige organers websteder og mobilapplikationer kræver. Løsningen er bygget med Det Fælles Designsystem (DKFDS), og vi tester den med tastatur, med automatiske tilgængelighedstjek og i smalle skærmbredder ned til 320 pixel.",
    statusHeading: "Overholdelsesstatus",
    status:
      "Løsningen overholder delvist WCAG 2.1 AA. De kendte afvigelser står herunder. Vi retter dem løbende og opdaterer erklæringen, når noget ændrer sig.",
    limitationsHeading: "Kendte begrænsninger",
    limitationCharts:
      "Diagrammerne på Overblik vises som billeder. De samme tal står i tabellen under hvert diagram, så skærmlæsere kan læse dem der.",
    limitationAttachments:
      "Bilag, som brugerne lægger op (pdf, Word og Excel), er ikke nødvendigvis tilgængelige. Den, der lægger et bilag op, har ansvaret for dets indhold.",
    limitationWideTables:
      "Brede tabeller, fx i loggen og i kontraktregistret, skal rulles vandret på små skærme. Indholdet kan læses, men ikke alt er synligt på én gang.",
    limitationDocuments:
      "Standardkontrakter, der hentes som Word-dokument, har overskrifter og lister, men er ikke gennemtestet med skærmlæser.",
    reportHeading: "Sådan giver du besked om problemer",
    report:
      "Møder du noget i Samudbud, du ikke kan bruge, eller har du brug for indholdet i en anden form, så skriv til {operator}. Beskriv gerne, hvilken side det drejer sig om, og hvilket hjælpemiddel du bruger. Vi svarer inden for 10 arbejdsdage.",
    reportEmail: "E-mail:",
    reportPhone: "Telefon:",
    reportNoContact:
      "Kontakt din kommunes administrator af Samudbud, som sender din henvendelse videre til {operator}.",
    complaintHeading: "Klagemulighed",
    complaint:
      "Kontakt altid {operator} først. Har du ikke fået svar inden for 10 arbejdsdage, eller er du ikke tilfreds med svaret, kan du rette henvendelse til Digitaliseringsstyrelsen, som fører tilsyn med, at offentlige websteder overholder webtilgængelighedsloven.",
    complaintLink: "Sådan henvender du dig til Digitaliseringsstyrelsen",
    preparedHeading: "Om erklæringen",
    prepared:
      "Erklæringen er udarbejdet af {operator} på grundlag af en egen vurdering af løsningen. Den gennemgås mindst én gang om året og hver gang, der kommer nye sider til.",
    backToApp: "Til forsiden",
  },
};
