package io.nodelock.pak;

/** A PAK that cannot be a PAK at all; the message tells the person what to fix. */
public class PakCodeException extends IllegalArgumentException {

    public PakCodeException(String message) {
        super(message);
    }
}
