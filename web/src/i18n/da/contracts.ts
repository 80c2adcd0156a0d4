// Danish texts for contracts.

export const daContracts = {} as const;
