/**
 * Owns the Nodelock license-file format: UDIs, node-locked license lines, their text encoding, and their Ed25519
 * signing and verification, shared by the fulfillment service and the device tool.
 */
package io.nodelock.licensefile;
