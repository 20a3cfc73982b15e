package io.nodelock.portal.web;

import io.nodelock.portal.PortalForms;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The customer forms the portal's pages render. The pages themselves are static files ({@code static/portal/}, their
 * short addresses are the account package's {@code PortalPages}); who may see them is the security configuration's
 * business, as for the API they call.
 */
@Controller
class PortalController {

    private final PortalForms forms;

    PortalController(PortalForms forms) {
        this.forms = forms;
    }

    /** A customer form's schema for the form-js viewer; 404 for staff forms and anything else. */
    @GetMapping(value = "/portal/forms/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    ResponseEntity<String> form(@PathVariable String id) {
        return forms.schema(id)
                .map(schema -> ResponseEntity.ok().cacheControl(CacheControl.noCache()).contentType(MediaType.APPLICATION_JSON).body(schema))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }
}
