/** The REST API's shared contract: RFC 9457 problem details for every error, whoever raises it. */
package io.nodelock.api;
