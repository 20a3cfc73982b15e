/** License rehost: permanent licenses moved from a working source device to a destination device with a service-signed permission ticket and the device's signed rehost ticket. */
package io.nodelock.rehost;
