// The words the whole interface agrees on. Pages use these keys rather
// than their own wording, and da.test.ts checks that no other text says
// the same thing differently.

export const daGlossary = {
  terms: {
    /** A contract or a system's contract with no end date: it runs until terminated. */
    running: "Løbende",
    /** An archived object brought back ("Gendan"), never "genoprettet". */
    restored: "gendannet",
    /** An attachment taken off a contract, never "slettet". */
    attachmentRemoved: "Bilag fjernet",
    /** An invitation a municipality said yes to, never "modtaget". */
    invitationAccepted: "Invitation til fællesskab accepteret",
  },
};
