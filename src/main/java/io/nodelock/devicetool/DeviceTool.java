package io.nodelock.devicetool;

import io.nodelock.devicetool.command.DeviceToolCommand;
import java.time.Clock;

/** Entry point of {@code nodelock-device.jar}. */
public final class DeviceTool {

    private DeviceTool() {
    }

    public static void main(String[] args) {
        System.exit(DeviceToolCommand.commandLine(Clock.systemUTC(), System.getenv()).execute(args));
    }
}
