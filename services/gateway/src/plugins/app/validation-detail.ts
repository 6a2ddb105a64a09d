import type { FastifyError } from 'fastify';

/** `querystring/limit must be <= 100`: the detail names the part of the request and the field. */
export function describeValidationError(error: FastifyError): string {
  const first = error.validation?.[0];
  if (!first) return error.message;
  const part = error.validationContext ?? 'request';
  const params = first.params as Record<string, unknown>;
  const path = first.instancePath ?? '';
  if (typeof params.missingProperty === 'string')
    return `${part}${path}/${params.missingProperty} is required`;
  if (typeof params.additionalProperty === 'string') {
    return `${part}${path}/${params.additionalProperty} is not allowed`;
  }
  return `${part}${path} ${first.message ?? 'is invalid'}`;
}
