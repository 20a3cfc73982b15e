/** PAK fulfillment: a customer's request for a license, its run through the pak-fulfillment model, and its outcome. */
package io.nodelock.fulfillment;
