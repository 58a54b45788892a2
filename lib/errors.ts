/**
 * Domain errors: services throw these, and the tRPC layer maps them to codes in one
 * place (lib/trpc/init.ts). Messages are shown to users, so they are sentences.
 */
export type DomainErrorCode = "NOT_FOUND" | "CONFLICT" | "BAD_REQUEST" | "FORBIDDEN" | "TOO_MANY_REQUESTS" | "UNAUTHORIZED";

export class DomainError extends Error {
  constructor(
    public readonly code: DomainErrorCode,
    message: string,
    public readonly field?: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError("NOT_FOUND", `${what} was not found.`);
export const conflict = (message: string, field?: string) => new DomainError("CONFLICT", message, field);
export const badRequest = (message: string, field?: string) => new DomainError("BAD_REQUEST", message, field);
export const forbidden = (message = "You do not have permission to do that.") => new DomainError("FORBIDDEN", message);
