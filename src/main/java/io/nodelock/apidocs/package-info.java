/**
 * The API's OpenAPI document: what springdoc reads off the controllers, completed with the contract it cannot see
 * (security, statuses, problem responses, enums, required fields, examples). Nothing depends on it; it depends on the
 * capabilities whose statuses and refusals it names.
 */
package io.nodelock.apidocs;
