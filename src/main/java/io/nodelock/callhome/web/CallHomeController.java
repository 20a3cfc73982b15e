package io.nodelock.callhome.web;

import io.nodelock.api.ApiProblem;
import io.nodelock.callhome.CallHome;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Call Home", description = "The device-facing API: requests signed by the device, answers signed by the service")
class CallHomeController {

    private final CallHome callHome;

    CallHomeController(CallHome callHome) {
        this.callHome = callHome;
    }

    @PostMapping(value = "/api/v1/call-home", consumes = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "A device's signed License Call Home request", description = "Body: the NLCH1 request line (docs/call-home.md), "
            + "signed by the device's certified key, fresh, with a new nonce. Answer: the NLCR1 line signed by the service's key. "
            + "A request the service cannot attribute or has seen is a problem document instead (400, 401, 403, 409).")
    ResponseEntity<String> callHome(@RequestBody(required = false) String body, HttpServletRequest http) {
        try {
            return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(callHome.answer(body, http.getRemoteAddr(),
                    http.getHeader(HttpHeaders.USER_AGENT)).toText() + "\n");
        } catch (CallHome.Unanswerable e) {
            throw new ApiProblem(HttpStatus.valueOf(e.status()), e.type(), "Call Home request refused", e.getMessage());
        }
    }
}
