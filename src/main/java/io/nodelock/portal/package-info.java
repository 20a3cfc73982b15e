/**
 * The customer portal ({@code /portal/}): static pages in {@code static/portal/} that call the REST API with the
 * signed-in user's session, and the Camunda Forms of {@code forms/} that they render with bpmn.io's form-js viewer.
 * The portal has no intake of its own: every request a form submits goes to the same API endpoint, and so through the
 * same intake, as a request sent with an API token.
 */
package io.nodelock.portal;
