/** Product authorization keys: their codes, owners and lines, and the redemption of units that can never be over-consumed. */
package io.nodelock.pak;
