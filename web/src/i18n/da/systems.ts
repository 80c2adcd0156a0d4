// Danish texts for systems.

export const daSystems = {} as const;
