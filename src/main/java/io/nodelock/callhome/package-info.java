/** License Call Home: the device-facing way in, where a certified device signs its own requests and the service signs its answers; each operation runs through the same intake and flow as the customer's. */
package io.nodelock.callhome;
