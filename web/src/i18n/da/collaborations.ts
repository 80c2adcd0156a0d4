// Danish texts for collaborations.

export const daCollaborations = {} as const;
