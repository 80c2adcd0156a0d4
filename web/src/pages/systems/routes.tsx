// Routes of this area, placed inside the app shell by App.tsx.

export const systemRoutes = <></>;
