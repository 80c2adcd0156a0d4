// Danish texts for administration.

export const daAdministration = {} as const;
