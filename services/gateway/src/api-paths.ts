/** The JSON API and the probes: everything the gateway answers that is not a page. */
export const JSON_API_PATH = /^\/(v1|healthz|readyz)(\/|\?|$)/;

/** The Swagger UI and its OpenAPI document. */
export const DOCS_PATH = /^\/docs(\/|\?|$)/;
