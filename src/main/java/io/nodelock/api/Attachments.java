package io.nodelock.api;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** A text file the API hands out for download: a license file or a ticket, as plain text under its own file name. */
public final class Attachments {

    private Attachments() {
    }

    public static ResponseEntity<String> textFile(String fileName, String content) {
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"").body(content);
    }
}
