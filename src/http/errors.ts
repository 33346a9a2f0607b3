/** Typed HTTP errors; the error handler turns each into its status and page or fragment. */
export class HttpError extends Error {
  constructor(
    public readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** 404 with the same body whether the record is missing or outside the user's reach (SECURITY.md decision 3). */
export class NotFound extends HttpError {
  constructor(message = 'Not found') {
    super(404, message);
  }
}

export class Forbidden extends HttpError {
  constructor(message = 'You do not have permission to do this.') {
    super(403, message);
  }
}

export class BadRequest extends HttpError {
  constructor(message = 'Bad request') {
    super(400, message);
  }
}

/** A stale `version` on a save. */
export class Conflict extends HttpError {
  constructor(
    message = 'This record was changed by someone else.',
    public readonly details: Record<string, unknown> = {},
  ) {
    super(409, message);
  }
}

/** Invalid input: one message per field (`data-field` in the form), rendered with status 422. */
export class ValidationError extends HttpError {
  constructor(public readonly fields: Record<string, string>) {
    super(422, 'Please correct the highlighted fields.');
  }
}
