/** Opening the database failed for a reason that is not corruption; nothing was renamed. */
export class DatabaseOpenError extends Error {}
