/** The bulk fulfillment REST API: HTTP only, mapped to {@link io.nodelock.bulk.BulkIntake}. */
package io.nodelock.bulk.web;
