// Danish texts for tender plans (udbudsplaner): the timeline, the CPV
// picker, the plan and planned tender pages, a participant's own part and
// Mine forpligtelser. Terms follow the glossary: udbudsplan, planlagt
// udbud, deltager, ledende kommune, milepæl, tærskelværdi.

export const daPlans = {
  timeline: {
    filterMunicipality: "Kommune",
    filterStatus: "Status",
    all: "Alle",
    zoom: "Vis pr.",
    zoomQuarter: "Kvartal",
    zoomYear: "År",
    showingAll: "Viser alle {count} planlagte udbud.",
    showingSome: "Viser {count} af {total} planlagte udbud.",
    keyboardHelp:
      "Tidslinjen er ét stop med tabulatortasten: Pil op og ned skifter udbud, pil venstre og højre går mellem milepæle og udløbende kontrakter, Enter åbner udbuddet.",
    empty: "Ingen planlagte udbud passer til filtrene.",
    today: "I dag",
    milestone: "{label}: {date}",
    milestoneDone: "{label}: {date} (gennemført)",
    contractEnds: "Kontrakten »{title}« ({municipality}) udløber {date}",
    rowName: "{subject}, {status}, ledende kommune {lead}.",
    rowSpan: "{first} {from} til {last} {to}.",
    noMilestones: "Ingen milepæle endnu.",
    legend: "Signaturforklaring",
    legendMilestone: "Milepæl",
    legendDone: "Gennemført milepæl",
    legendContractEnd: "Kontrakt, der erstattes, udløber",
    legendToday: "I dag",
    showAsTable: "Vis som tabel",
    colTender: "Planlagt udbud",
    colStatus: "Status",
    colLead: "Ledende kommune",
    colMilestones: "Milepæle",
    colContractEnds: "Kontrakter, der erstattes, udløber",
    none: "Ingen",
    done: "gennemført",
  },
  cpvPicker: {
    hint: "Skriv mindst to cifre af koden eller et ord, og vælg med piletasterne og Enter.",
    searching: "Søger …",
    none: "Ingen CPV-koder passer til søgningen.",
    countOne: "1 forslag. Brug pil ned for at vælge.",
    count: "{count} forslag. Brug pil ned for at vælge.",
  },
} as const;
