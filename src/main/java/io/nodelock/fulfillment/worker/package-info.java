/** The thin external-task workers of the pak-fulfillment model: read variables, call the fulfillment capability, complete or fail. */
package io.nodelock.fulfillment.worker;
