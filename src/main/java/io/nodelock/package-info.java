/** Nodelock turns a purchase (PAK) into a signed, node-locked license on a device and keeps later changes to it honest. */
package io.nodelock;
