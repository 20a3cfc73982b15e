package io.nodelock.report;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Runs the expiry alert on its interval ({@code nodelock.reports.expiry-alert.*}). */
@Configuration
@EnableScheduling
class ReportScheduling {
}
