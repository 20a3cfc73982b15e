/** The EULA's REST endpoints (open to anyone, like the public keys). Internal to the eula capability. */
package io.nodelock.eula.web;
