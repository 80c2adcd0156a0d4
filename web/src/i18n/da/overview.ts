// Danish texts for overview.

export const daOverview = {} as const;
