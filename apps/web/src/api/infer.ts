/**
 * The parsed type of a schema from `@switchboard/shared`, for the schemas that export no type of their
 * own (`Infer<typeof category>`), without the web app depending on zod itself.
 */
export type Infer<S extends { parse: (data: unknown) => unknown }> = ReturnType<S['parse']>;
