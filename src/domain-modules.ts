// The bounded contexts beyond identity, in one list (also used by the schema printer).
export const domainModules = [];
