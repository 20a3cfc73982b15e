/** The picocli commands of the device tool, mirroring the IOS EXEC license commands. */
package io.nodelock.devicetool.command;
