/** A simulated licensed device (state folder, license and persistence storage, trust store, clock) that installs and verifies Nodelock license files with the Spring-free licensefile package. */
package io.nodelock.devicetool;
