package io.nodelock.devicetool;


/**
 * One feature's effective state: {@code kind} is {@code level} (image feature-set level), {@code addon} or
 * {@code other}; {@code providedBy} is the license id in use, {@code via} how a level is enabled ("licensed" or
 * "included in &lt;higher level&gt;"); {@code count} the summed capacity of counted lines in use (0 = uncounted).
 */
public record FeatureStatus(String feature, String kind, boolean enabled, String providedBy, String via, int count) {
}
