package io.nodelock.rehost;

import java.util.List;

/** A customer's request: the source device's credential ({@code license save credential}), the licenses to move, a mail address. */
public record RehostRequest(String credential, List<String> licenseIds, String email) {
}
