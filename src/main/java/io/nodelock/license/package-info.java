/** Issued licenses and license files, and the service's signing keys that make them verifiable on a device. */
package io.nodelock.license;
